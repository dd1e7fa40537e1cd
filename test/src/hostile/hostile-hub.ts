import { randomBytes } from 'node:crypto';
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
import { AGENT_NAMESPACE, openPayload, openReceipt, readAgentHello } from '@serfbort/core';
import type { Socket } from 'socket.io';
import { Server } from 'socket.io';

type AgentSocket = Socket<AgentToHubEvents, HubToAgentEvents>;

export interface SeenReceipt {
  envelope: Envelope;
  receipt: Receipt;
}

/**
 * A hub that lies: it approves every agent, hands out whatever trust bundle the test
 * chooses, and relays whatever envelope the test crafts, to whichever host it likes.
 * Everything a real agent must survive from a compromised hub.
 */
export async function startHostileHub(initialTrust: TrustBundle) {
  let trust = initialTrust;
  const http = createServer();
  const io = new Server(http, { serveClient: false, transports: ['websocket'] });
  const agents = new Map<string, AgentSocket>();
  const receipts: SeenReceipt[] = [];
  const waiters: { match: (r: SeenReceipt) => boolean; resolve: (r: SeenReceipt) => void }[] = [];
  const connectWaiters = new Map<string, (() => void)[]>();

  io.of(AGENT_NAMESPACE).on('connection', (raw) => {
    const socket = raw as AgentSocket;
    const nonce = randomBytes(16).toString('base64url');
    socket.on('auth:challenge', (cb) =>
      cb({ ok: true, data: { nonce, hubId: 'hostile', serverTime: Date.now() } }),
    );
    socket.on('auth:hello', (env, ...rest) => {
      // the trust-digest options come before the callback from newer agents
      const cb = rest[rest.length - 1] as AckFn<HelloAnswer>;
      const opened = openPayload(env, 'agentAuth');
      const read = opened.ok ? readAgentHello(opened.value.payload, opened.value.version) : null;
      if (!read?.ok) return cb({ ok: false, error: { code: 'BAD_REQUEST', message: 'bad hello' } });
      const host = read.hello.host;
      agents.set(host, socket);
      cb({ ok: true, data: { status: 'approved', trust } });
      for (const w of connectWaiters.get(host) ?? []) w();
      connectWaiters.delete(host);
    });
    socket.on('presence', (_r, cb) => cb?.({ ok: true, data: null }));
    socket.on('deploy:progress', (_p, cb) => cb?.({ ok: true, data: null }));
    socket.on('leave', (cb) => cb?.({ ok: true, data: null }));
    socket.on('deploy:receipt', (env, cb) => {
      const opened = openReceipt(env);
      if (opened.ok) {
        const seen = { envelope: env, receipt: opened.value.receipt };
        receipts.push(seen);
        for (const w of [...waiters]) {
          if (w.match(seen)) {
            waiters.splice(waiters.indexOf(w), 1);
            w.resolve(seen);
          }
        }
      }
      cb?.({ ok: true, data: { stored: true } });
    });
  });

  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const port = (http.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    receipts,
    /** resolves once the named agent has said hello (now, or the next time it connects) */
    connected(host: string): Promise<void> {
      const s = agents.get(host);
      if (s?.connected) return Promise.resolve();
      return new Promise((resolve) =>
        connectWaiters.set(host, [...(connectWaiters.get(host) ?? []), resolve]),
      );
    },
    /** relays an envelope of the test's choosing to one agent */
    relay(host: string, envelope: unknown): void {
      const s = agents.get(host);
      if (!s) throw new Error(`${host} is not connected`);
      s.emit('deploy:request', envelope as Envelope, () => {});
    },
    /** any event with any arguments, typed or not: for malformed-input tests */
    emitRaw(host: string, event: string, ...args: unknown[]): void {
      const s = agents.get(host);
      if (!s) throw new Error(`${host} is not connected`);
      (s as unknown as { emit(e: string, ...a: unknown[]): void }).emit(event, ...args);
    },
    pushTrust(bundle: TrustBundle, host?: string): void {
      trust = bundle;
      if (host) agents.get(host)?.emit('trust:update', bundle);
      else io.of(AGENT_NAMESPACE).emit('trust:update', bundle);
    },
    /** the first receipt for `requestId` that arrives at or after index `from` */
    receiptFor(requestId: string, from = 0, timeoutMs = 20_000): Promise<SeenReceipt> {
      const have = receipts.slice(from).find((r) => r.receipt.requestId === requestId);
      if (have) return Promise.resolve(have);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no receipt for ${requestId} within ${timeoutMs} ms`)),
          timeoutMs,
        );
        waiters.push({
          match: (r) => r.receipt.requestId === requestId,
          resolve: (r) => {
            clearTimeout(timer);
            resolve(r);
          },
        });
      });
    },
    async close(): Promise<void> {
      io.disconnectSockets(true);
      await new Promise<void>((resolve) => io.close(() => resolve()));
    },
  };
}
export type HostileHub = Awaited<ReturnType<typeof startHostileHub>>;
