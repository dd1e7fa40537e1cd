import type { Namespace, Socket } from 'socket.io';
import { errorAck } from '../errors.js';
import type { HubContext } from '../hub-context.js';
import { KeyedLimiter, TokenBucket } from './rate-limit.js';

interface Options {
  namespace: 'agent' | 'operator';
  known: Set<string>;
  /**
   * the socket has proved a key someone vouched for; a pending agent does not count, so
   * a flood of made-up keys cannot hold sockets open (a real pending agent reconnects)
   */
  authenticated: (socket: Socket) => boolean;
  /** the identity a per-key limit applies to, once known */
  keyOf: (socket: Socket) => string | undefined;
}

/**
 * Per-socket hardening: unknown events are counted and ignored, a token bucket per
 * socket and per key bounds the rate, and a socket that does not authenticate
 * within the auth timeout is closed. New connections are bounded per source address.
 */
export function guardNamespace(ctx: HubContext, nsp: Namespace, o: Options): void {
  const { perSecond, burst } = ctx.config.rateLimit;
  const perKey = new KeyedLimiter(perSecond * 2, burst * 2);
  // before any handler: one address opening connections faster than its bucket is refused
  nsp.use((socket, next) => {
    if (ctx.admission.connect(socket, Date.now())) return next();
    const refusal = new Error('too many new connections from this address; retry later');
    next(Object.assign(refusal, { data: { code: 'RATE_LIMITED' } }));
  });
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
