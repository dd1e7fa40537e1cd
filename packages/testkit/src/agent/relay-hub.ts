import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  AckFn,
  AgentToHubEvents,
  Envelope,
  HelloAnswer,
  HubToAgentEvents,
  Receipt,
  TrustBundle,
} from '@serfbort/core';
import { AGENT_NAMESPACE, openPayload, openReceipt } from '@serfbort/core';
import type { Socket } from 'socket.io';
import { Server } from 'socket.io';

type HubSocket = Socket<AgentToHubEvents, HubToAgentEvents>;

/**
 * A hub that does whatever the test says: it lets every agent in, hands out the
 * trust bundle it is given, and relays any bytes, so tests can show what an agent
 * does with requests an honest hub would never pass on (DESIGN: the hub is untrusted).
 */
export interface RelayHubOptions {
  /** a heartbeat check of the test's choosing (an older hub's schema); accepts all by default */
  presence?: (report: unknown) => boolean;
  /** false: answer receipts UNAVAILABLE (kept by the agent, resent later); true by default */
  storeReceipts?: () => boolean;
}

export async function startRelayHub(trust: TrustBundle, options: RelayHubOptions = {}) {
  const http = createServer();
  const io = new Server(http, { serveClient: false, transports: ['websocket'] });
  const sockets = new Map<string, HubSocket>();
  const receipts: { envelope: Envelope; receipt: Receipt }[] = [];
  const presences: { report: unknown; accepted: boolean }[] = [];
  const deferred: Envelope[] = [];
  const listeners = new Set<() => void>();
  const changed = () => {
    for (const l of listeners) l();
  };

  io.of(AGENT_NAMESPACE).on('connection', (raw) => {
    const socket = raw as unknown as HubSocket;
    socket.on('auth:challenge', (cb) =>
      cb({
        ok: true,
        data: { nonce: 'relay-nonce-0123456789', hubId: 'relay', serverTime: Date.now() },
      }),
    );
    socket.on('auth:hello', (envelope, ...rest) => {
      // the trust-digest options come before the callback from newer agents
      const cb = rest[rest.length - 1] as AckFn<HelloAnswer>;
      const opened = openPayload(envelope, 'agentAuth');
      const host = opened.ok ? (opened.value.payload as { host?: string }).host : undefined;
      if (!host) return cb({ ok: false, error: { code: 'BAD_REQUEST', message: 'bad hello' } });
      sockets.set(host, socket);
      cb({ ok: true, data: { status: 'approved', trust } });
      changed();
    });
    socket.on('presence', (report, cb) => {
      const accepted = options.presence?.(report) ?? true;
      presences.push({ report, accepted });
      cb(
        accepted
          ? { ok: true, data: null }
          : { ok: false, error: { code: 'BAD_REQUEST', message: 'presence: bad shape' } },
      );
      changed();
    });
    socket.on('deploy:progress', (_p, cb) => cb({ ok: true, data: null }));
    socket.on('leave', (cb) => cb({ ok: true, data: null }));
    socket.on('deploy:receipt', (envelope, cb) => {
      const opened = openReceipt(envelope);
      if (options.storeReceipts?.() === false) {
        deferred.push(envelope);
        cb({ ok: false, error: { code: 'UNAVAILABLE', message: 'not stored yet' } });
        changed();
        return;
      }
      if (opened.ok) receipts.push({ envelope, receipt: opened.value.receipt });
      cb({ ok: true, data: { stored: true } });
      changed();
    });
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;

  const until = <T>(find: () => T | undefined, timeoutMs: number, what: string): Promise<T> =>
    new Promise((resolve, reject) => {
      const check = () => {
        const found = find();
        if (found === undefined) return;
        cleanup();
        resolve(found);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`relay hub: timed out waiting for ${what}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        listeners.delete(check);
      };
      listeners.add(check);
      check();
    });

  return {
    url,
    receipts,
    /** every heartbeat, and whether `options.presence` let it through */
    presences,
    /** receipts answered UNAVAILABLE while `options.storeReceipts` said no */
    deferred,
    /** drops the host's connection, as a hub restart would; the agent reconnects */
    disconnect: (host: string): void => {
      sockets.get(host)?.disconnect(true);
      sockets.delete(host);
    },
    connected: (host: string, timeoutMs = 10_000) =>
      until(() => sockets.get(host), timeoutMs, `${host} to connect`),
    /** relays anything; resolves when the agent acknowledged receipt */
    send: async (host: string, envelope: unknown): Promise<void> => {
      const socket = sockets.get(host);
      if (!socket) throw new Error(`${host} is not connected`);
      await socket.timeout(5000).emitWithAck('deploy:request', envelope as Envelope);
    },
    receiptFor: (requestId: string, timeoutMs = 10_000) =>
      until(
        () => receipts.find((r) => r.receipt.requestId === requestId),
        timeoutMs,
        `a receipt for ${requestId}`,
      ),
    close: async () => {
      io.close();
      await new Promise<void>((r) => http.close(() => r()));
    },
  };
}
