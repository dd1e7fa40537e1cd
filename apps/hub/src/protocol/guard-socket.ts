import type { Namespace, Socket } from 'socket.io';
import { errorAck } from '../errors.js';
import type { HubContext } from '../hub-context.js';
import { KeyedLimiter, TokenBucket } from './rate-limit.js';

interface Options {
  namespace: 'agent' | 'operator';
  known: Set<string>;
  /** the socket has proved who it is (a pending agent counts: it waits for approval) */
  authenticated: (socket: Socket) => boolean;
  /** the identity a per-key limit applies to, once known */
  keyOf: (socket: Socket) => string | undefined;
}

/**
 * Per-socket hardening: unknown events are counted and ignored, a token bucket per
 * socket and per key bounds the rate, and a socket that does not authenticate
 * within the auth timeout is closed.
 */
export function guardNamespace(ctx: HubContext, nsp: Namespace, o: Options): void {
  const { perSecond, burst } = ctx.config.rateLimit;
  const perKey = new KeyedLimiter(perSecond * 2, burst * 2);
  nsp.on('connection', (socket) => {
    const bucket = new TokenBucket(perSecond, burst, Date.now());
    socket.use((packet, next) => {
      const [event] = packet;
      const last = packet[packet.length - 1];
      const cb = typeof last === 'function' ? (last as (ack: unknown) => void) : undefined;
      if (typeof event !== 'string' || !o.known.has(event)) {
        ctx.metrics.unknownEvents.inc({ namespace: o.namespace });
        cb?.(errorAck('BAD_REQUEST', 'unknown event'));
        return;
      }
      const now = Date.now();
      const key = o.keyOf(socket);
      if (!bucket.take(now) || (key !== undefined && !perKey.take(key, now))) {
        ctx.metrics.refused.inc({ code: 'RATE_LIMITED', event });
        cb?.(errorAck('RATE_LIMITED', 'too many messages; slow down'));
        return;
      }
      next();
    });
    const timer = setTimeout(() => {
      if (!o.authenticated(socket)) socket.disconnect(true);
    }, ctx.config.authTimeoutMs);
    timer.unref();
    socket.on('disconnect', () => clearTimeout(timer));
  });
}
