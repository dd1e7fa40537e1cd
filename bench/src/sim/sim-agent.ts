import type {
  AgentToHubEvents,
  Envelope,
  HubToAgentEvents,
  Labels,
  Receipt,
  Signer,
  TrustBundle,
} from '@serfbort/core';
import {
  AGENT_NAMESPACE,
  decideAdmission,
  PAYLOAD_TYPES,
  signPayload,
  toBase64,
} from '@serfbort/core';
import { nodeVerifier } from '@serfbort/node';
import { io, type Socket } from 'socket.io-client';
import type { PresenceAnswer } from './presence-flood.js';
import type { WorkerTrust } from './worker-trust.js';

type AgentSocket = Socket<HubToAgentEvents, AgentToHubEvents>;
type Ack<T> = { ok: true; data: T } | { ok: false; error: { code: string } };

const ACK_TIMEOUT_MS = 30_000;

/** The real agent's backoff (apps/agent connection/backoff.ts): half to all of min(max, 500·2ⁿ). */
function backoffDelay(attempt: number, maxMs: number): number {
  const ceiling = Math.min(maxMs, 500 * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
}

export interface SimCounters {
  approvals: number;
  accepted: number;
  rejected: Record<string, number>;
  receiptsSent: number;
  receiptsAcked: number;
  checks: number;
  /** connection attempts refused or timed out (the hub down or too busy) */
  connectErrors: number;
  /** challenge/hello that failed or timed out */
  authFailures: number;
}

export interface SimAgentOptions {
  url: string;
  name: string;
  labels: Labels;
  apps: string[];
  signer: Signer;
  trust: WorkerTrust;
  counters: SimCounters;
  reconnectMaxMs: number;
  /** called each time the agent is authenticated and approved */
  onApproved(): void;
}

/**
 * One simulated agent: a real socket.io-client connection, the real challenge/hello,
 * the real core admission decision on every request, a real signed receipt, and an
 * outbox so no receipt is lost across a hub restart. The deploy itself is a no-op.
 */
export class SimAgent {
  approved = false;
  private socket: AgentSocket | undefined;
  private attempt = 0;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly seen = new Set<string>();
  private readonly lastApplied = new Map<string, number>();
  private readonly outbox = new Map<string, Envelope>();
  private version: string | null = null;

  constructor(private readonly o: SimAgentOptions) {}

  /** Resolves on the first approval (or rejects on the first failure: the ramp must be clean). */
  connect(): void {
    if (this.closed) return;
    const socket: AgentSocket = io(`${this.o.url}${AGENT_NAMESPACE}`, {
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
      timeout: ACK_TIMEOUT_MS,
    });
    this.socket = socket;
    socket.on('connect', () => void this.authenticate(socket));
    socket.on('connect_error', () => {
      this.o.counters.connectErrors++;
      this.retry(socket);
    });
    socket.on('disconnect', () => this.retry(socket));
    socket.on('deploy:request', (envelope, cb) => {
      if (typeof cb === 'function') cb({ received: true });
      this.handle(socket, envelope);
    });
    socket.on('trust:update', (bundle) => this.acceptTrust(bundle));
    socket.on('auth:approved', (bundle) => {
      this.acceptTrust(bundle);
      this.markApproved(socket);
    });
    socket.on('check:run', (query, cb) => {
      this.o.counters.checks++;
      const answer = signPayload(
        PAYLOAD_TYPES.checkAnswer,
        {
          type: 'check-answer',
          checkId: query.checkId,
          host: this.o.name,
          app: query.app,
          configured: this.o.apps.includes(query.app),
          version: this.version,
          at: Date.now(),
        },
        [this.o.signer],
      );
      if (typeof cb === 'function') cb(answer);
    });
  }

  /** this agent's own copy (shared, verified once per worker): its digest goes in its hellos */
  private heldTrust: string | undefined;

  private acceptTrust(bundle: TrustBundle): void {
    this.o.trust.accept(bundle);
    this.heldTrust = this.o.trust.digest;
  }

  private async authenticate(socket: AgentSocket): Promise<void> {
    try {
      const challenge = (await socket
        .timeout(ACK_TIMEOUT_MS)
        .emitWithAck('auth:challenge')) as Ack<{ nonce: string; hubId: string }>;
      if (!challenge.ok) throw new Error(challenge.error.code);
      const hello = signPayload(
        PAYLOAD_TYPES.agentAuth,
        {
          type: 'agent-auth',
          nonce: challenge.data.nonce,
          hubId: challenge.data.hubId,
          host: this.o.name,
          publicKey: toBase64(this.o.signer.publicKey),
          labels: this.o.labels,
          apps: this.o.apps,
          agentVersion: 'bench-sim/1',
          at: Date.now(),
        },
        [this.o.signer],
      );
      // as a real agent does: the digest of the trust it holds, so the hub may leave it out
      const held = this.heldTrust;
      const answer = (await socket
        .timeout(ACK_TIMEOUT_MS)
        .emitWithAck('auth:hello', hello, { trustDigest: held })) as Ack<{
        status: string;
        trust?: TrustBundle;
        trustDigest?: string;
      }>;
      if (!answer.ok) throw new Error(answer.error.code);
      if (answer.data.trust) this.acceptTrust(answer.data.trust);
      else if (held === undefined || answer.data.trustDigest !== held)
        throw new Error('BAD_REQUEST');
      if (answer.data.status === 'approved') this.markApproved(socket);
    } catch {
      this.o.counters.authFailures++;
      socket.disconnect();
    }
  }

  private markApproved(socket: AgentSocket): void {
    this.approved = true;
    this.attempt = 0;
    this.o.counters.approvals++;
    this.o.onApproved();
    // receipts the previous hub never acknowledged go out again
    for (const [id, receipt] of this.outbox) this.sendReceipt(socket, id, receipt);
  }

  private handle(socket: AgentSocket, envelope: unknown): void {
    const now = Date.now();
    const decision = decideAdmission({
      envelope,
      trust: this.o.trust.current,
      agent: { name: this.o.name, labels: this.o.labels, apps: this.o.apps },
      replay: {
        seen: (id) => this.seen.has(id),
        lastAppliedAt: (app) => this.lastApplied.get(app),
      },
      now,
      verifier: nodeVerifier,
    });
    if (!decision.accept) {
      const counters = this.o.counters;
      counters.rejected[decision.reason] = (counters.rejected[decision.reason] ?? 0) + 1;
      const id = decision.claimed?.id;
      const kept = id ? this.outbox.get(id) : undefined;
      if (id && kept) this.sendReceipt(socket, id, kept);
      return;
    }
    const { request, digest } = decision;
    this.seen.add(request.id);
    this.lastApplied.set(request.app, request.issuedAt);
    this.o.counters.accepted++;
    socket.emit(
      'deploy:progress',
      { requestId: request.id, app: request.app, state: 'accepted' },
      () => undefined,
    );
    // the deploy step is a no-op: the hub and the protocol are what is measured
    const receipt: Receipt = {
      type: 'receipt',
      requestId: request.id,
      requestDigest: digest,
      host: this.o.name,
      app: request.app,
      version: request.version,
      status: 'succeeded',
      exitCode: 0,
      versionBefore: this.version,
      versionAfter: request.version,
      startedAt: now,
      finishedAt: Date.now(),
    };
    this.version = request.version;
    const signed = signPayload(PAYLOAD_TYPES.receipt, receipt, [this.o.signer]);
    this.outbox.set(request.id, signed);
    this.sendReceipt(socket, request.id, signed);
  }

  private sendReceipt(socket: AgentSocket, id: string, receipt: Envelope): void {
    this.o.counters.receiptsSent++;
    socket
      .timeout(ACK_TIMEOUT_MS)
      .emit('deploy:receipt', receipt, (err: Error | null, ack: Ack<unknown>) => {
        if (err || !ack.ok) return;
        if (this.outbox.delete(id)) this.o.counters.receiptsAcked++;
      });
  }

  private retry(socket: AgentSocket): void {
    if (socket !== this.socket || this.closed) return;
    socket.removeAllListeners();
    socket.close();
    this.socket = undefined;
    this.approved = false;
    const delay = backoffDelay(this.attempt++, this.o.reconnectMaxMs);
    this.timer = setTimeout(() => this.connect(), delay);
  }

  /** One presence report (the flood's unit), answered by the hub's ack. */
  async sendPresence(): Promise<PresenceAnswer> {
    const socket = this.socket;
    if (!socket || !this.approved) return 'failed';
    const report = {
      apps: { [this.o.apps[0]!]: { version: this.version, at: Date.now() } },
      running: [],
    };
    try {
      const ack = (await socket
        .timeout(ACK_TIMEOUT_MS)
        .emitWithAck('presence', report)) as Ack<null>;
      if (ack.ok) return 'stored';
      return ack.error.code === 'RATE_LIMITED' ? 'rate-limited' : 'failed';
    } catch {
      return 'failed';
    }
  }

  get pendingReceipts(): number {
    return this.outbox.size;
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.socket?.removeAllListeners();
    this.socket?.close();
  }
}
