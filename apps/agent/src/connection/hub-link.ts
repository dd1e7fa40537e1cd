import type {
  AgentToHubEvents,
  Envelope,
  HubToAgentEvents,
  Labels,
  ReceiptHead,
  Signer,
  TrustBundle,
} from '@serfbort/core';
import {
  AGENT_NAMESPACE,
  checkQuerySchema,
  currentPayloadType,
  fingerprintOf,
  SPEAKS_THIS_BUILD,
  signPayload,
  toBase64,
  trustBundleDigest,
  trustBundleSchema,
} from '@serfbort/core';
import type { Logger } from 'pino';
import type { Socket } from 'socket.io-client';
import { io } from 'socket.io-client';
import type { AgentClock } from '../clock.js';
import { backoffDelay } from './backoff.js';

export type AgentSocket = Socket<HubToAgentEvents, AgentToHubEvents>;
export type LinkStatus = 'connecting' | 'pending' | 'approved' | 'offline' | 'closed';

export interface HubLinkHandlers {
  trust(bundle: TrustBundle): void;
  /** authenticated and approved: in the hub's rooms, deploys may arrive */
  ready(socket: AgentSocket): void;
  /** false while shutting down: a request is then left unacknowledged, so the hub keeps it pending */
  accepting(): boolean;
  request(envelope: unknown): void;
  check(query: unknown): Promise<Envelope | undefined>;
  status(status: LinkStatus, detail?: string): void;
}

export interface HubLinkOptions {
  urls: string[];
  signer: Signer;
  name: string;
  labels: Labels;
  apps: string[];
  agentVersion: string;
  enrollmentToken?: string;
  reconnectMaxMs: number;
  /** the newest receipt this agent signed: stated in every hello, so a hub cannot hide it */
  receiptHead(): ReceiptHead;
  clock: AgentClock;
  log: Logger;
  handlers: HubLinkHandlers;
}

const ACK_TIMEOUT_MS = 10_000;

const HELLO_REFUSALS: Record<string, string> = {
  NAME_TAKEN:
    'the hub holds this name for another key: choose another name, or have an operator approve this key for it',
  TOKEN_INVALID:
    'the enrollment token is unknown, used or expired: ask an operator for a new one, or for an approval',
  FORBIDDEN: 'the hub refuses this agent key',
};

/**
 * One connection to the hub at a time, re-established forever with backoff and jitter.
 * Socket.IO's own reconnection is off: it gives up after a refused handshake or a
 * server-side disconnect (STACK.md), so every retry is scheduled here.
 */
export class HubLink {
  private socket: AgentSocket | undefined;
  private attempt = 0;
  private urlIndex = 0;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  /** digest of the last bundle handed to the trust handler: a hello says it, the hub may skip it */
  private heldTrust: string | undefined;
  status: LinkStatus = 'connecting';

  constructor(private readonly o: HubLinkOptions) {}

  start(): void {
    this.connect();
  }

  /** The socket, only while authenticated and approved. */
  get ready(): AgentSocket | undefined {
    return this.status === 'approved' && this.socket?.connected ? this.socket : undefined;
  }

  private setStatus(status: LinkStatus, detail?: string): void {
    this.status = status;
    this.o.handlers.status(status, detail);
  }

  private connect(): void {
    if (this.closed) return;
    const base = this.o.urls[this.urlIndex % this.o.urls.length]!.replace(/\/+$/, '');
    const socket: AgentSocket = io(`${base}${AGENT_NAMESPACE}`, {
      transports: ['websocket'],
      reconnection: false,
      timeout: ACK_TIMEOUT_MS,
      forceNew: true,
    });
    this.socket = socket;
    this.setStatus('connecting', base);
    socket.on('connect', () => void this.authenticate(socket));
    socket.on('connect_error', (err) => {
      this.o.log.warn(
        { event: 'hub.connect-error', hub: base, err: err.message },
        'cannot reach the hub',
      );
      this.retry(socket);
    });
    socket.on('disconnect', (reason) => {
      // a pending key's socket is closed at the hub's login timeout: it asks again, by design
      const expected = this.status === 'pending' && reason === 'io server disconnect';
      (expected ? this.o.log.debug : this.o.log.warn).call(
        this.o.log,
        { event: 'hub.disconnected', hub: base, reason },
        'disconnected from the hub',
      );
      this.retry(socket);
    });
    socket.on('deploy:request', (envelope, cb) => {
      if (!this.o.handlers.accepting()) return;
      // the ack only means "received": the verdict comes as a signed receipt
      if (typeof cb === 'function') cb({ received: true });
      this.o.handlers.request(envelope);
    });
    // a hostile hub may send anything: check shapes before any handler sees them
    socket.on('trust:update', (bundle) => {
      if (trustBundleSchema.safeParse(bundle).success) this.applyTrust(bundle);
      else this.badMessage('trust:update');
    });
    socket.on('auth:approved', (bundle) => {
      if (trustBundleSchema.safeParse(bundle).success) this.applyTrust(bundle);
      else this.badMessage('auth:approved');
      this.approved(socket);
    });
    socket.on('check:run', (query, cb) => {
      if (!checkQuerySchema.safeParse(query).success) return this.badMessage('check:run');
      void this.o.handlers.check(query).then((answer) => {
        if (answer && typeof cb === 'function') cb(answer);
      });
    });
    socket.connect();
  }

  private approved(socket: AgentSocket): void {
    this.attempt = 0;
    this.setStatus('approved');
    this.o.log.info({ event: 'agent.approved' }, 'authenticated and approved');
    this.o.handlers.ready(socket);
  }

  private applyTrust(bundle: TrustBundle): void {
    this.o.handlers.trust(bundle);
    this.heldTrust = trustBundleDigest(bundle);
  }

  private badMessage(event: string): void {
    this.o.log.warn(
      { event: 'hub.bad-message', message: event },
      'ignored a malformed message from the hub',
    );
  }

  private async authenticate(socket: AgentSocket): Promise<void> {
    // our clock minus the hub's, as the challenge showed it: named if the hub refuses our time
    let skewMs = 0;
    try {
      const challenge = await socket.timeout(ACK_TIMEOUT_MS).emitWithAck('auth:challenge');
      if (!challenge.ok) throw new Error(challenge.error.code);
      const { signer, name, labels, apps, agentVersion, enrollmentToken } = this.o;
      // we build what we sign around the hub's nonce: the hub never chooses our signed bytes
      const payload = {
        type: 'agent-auth',
        nonce: challenge.data.nonce,
        hubId: challenge.data.hubId,
        host: name,
        publicKey: toBase64(signer.publicKey),
        labels,
        apps,
        agentVersion,
        at: this.o.clock.now(),
        ...(enrollmentToken ? { enrollmentToken } : {}),
        // the hub relays only the payload versions we say we read
        speaks: SPEAKS_THIS_BUILD,
        receipts: this.o.receiptHead(),
      };
      skewMs = payload.at - challenge.data.serverTime;
      this.o.clock.noteHubTime(challenge.data.serverTime);
      const envelope = signPayload(currentPayloadType('agentAuth'), payload, [signer]);
      // a callback, not a promise: the trust in the answer must be applied before the next
      // packet (possibly a deploy request) is handled, and a promise would resume too late
      await new Promise<void>((resolve, reject) => {
        const held = this.heldTrust;
        socket
          .timeout(ACK_TIMEOUT_MS)
          .emit('auth:hello', envelope, { trustDigest: held }, (err, hello) => {
            if (err) return reject(err);
            if (typeof hello !== 'object' || hello === null)
              return reject(new Error('BAD_REQUEST'));
            if (!hello.ok) return reject(new Error(String(hello.error?.code ?? 'BAD_REQUEST')));
            const answer = hello.data as Partial<{ trust: unknown; trustDigest: unknown }>;
            if (trustBundleSchema.safeParse(answer?.trust).success)
              this.applyTrust(answer.trust as TrustBundle);
            // the hub left out the bundle we hold: nothing to apply
            else if (held === undefined || answer?.trustDigest !== held)
              this.badMessage('auth:hello');
            if (hello.data.status === 'approved') this.approved(socket);
            else {
              // the hub answered: its closing this socket at the login timeout is not a failing
              // link, so the next try comes soon and an approval is picked up within seconds
              this.attempt = 0;
              this.setStatus('pending');
              this.o.log.warn(
                // the operator approves by this fingerprint: print it where they look
                {
                  event: 'agent.pending',
                  keyId: signer.keyId,
                  fingerprint: fingerprintOf(signer.publicKey),
                },
                `waiting for approval: an operator runs "serfbort agents approve ${name}"`,
              );
            }
            resolve();
          });
      });
    } catch (e) {
      const code = (e as Error).message;
      // refusals only people can fix are errors; the rest (timeouts, restarts) are retried quietly
      const hint = HELLO_REFUSALS[code];
      if (code === 'CLOCK_SKEW') this.clockSkew(skewMs);
      else if (hint) this.o.log.error({ event: 'hub.auth-refused', code }, hint);
      else
        this.o.log.warn(
          { event: 'hub.auth-failed', err: code },
          'authentication with the hub failed',
        );
      socket.disconnect();
    }
  }

  /** Only a person can set the clock right: say by how much it is off, each time. */
  private clockSkew(skewMs: number): void {
    const seconds = Math.round(skewMs / 1000);
    this.o.log.error(
      { event: 'hub.clock-skew', code: 'CLOCK_SKEW', skewSeconds: seconds },
      `the hub refuses this agent's clock: it is ${seconds} s ${seconds < 0 ? 'behind' : 'ahead of'} the hub's; set it right (NTP)`,
    );
  }

  private retry(socket: AgentSocket): void {
    if (socket !== this.socket || this.closed) return;
    socket.removeAllListeners();
    socket.close();
    this.socket = undefined;
    this.setStatus('offline');
    if (this.o.urls.length > 1) this.urlIndex++;
    const delay = backoffDelay(this.attempt++, this.o.reconnectMaxMs);
    this.timer = setTimeout(() => this.connect(), delay);
  }

  /** Says goodbye ("left", not "lost") while still connected. */
  async leave(timeoutMs = 2000): Promise<void> {
    const socket = this.socket;
    if (!socket?.connected) return;
    await socket
      .timeout(timeoutMs)
      .emitWithAck('leave')
      .catch(() => undefined);
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.socket?.removeAllListeners();
    this.socket?.close();
    this.socket = undefined;
    this.setStatus('closed');
  }
}
