import { EventEmitter } from 'node:events';
import type {
  Ack,
  AgentKeyRecord,
  AuditHead,
  AuditRow,
  CheckResult,
  DeploymentView,
  Envelope,
  HostHistory,
  HostQuery,
  HostView,
  HubToOperatorEvents,
  KeyPair,
  LockView,
  OperatorAuth,
  OperatorToHubEvents,
  PendingAgent,
  ProposalStatus,
  ProposalView,
  RolloutControl,
  RolloutStart,
  RolloutView,
  Speaks,
  TrustBundle,
} from '@serfbort/core';
import { currentPayloadType, SPEAKS_THIS_BUILD, signPayload } from '@serfbort/core';

type AllButLast<T extends unknown[]> = T extends [...infer Head, unknown] ? Head : never;
type LastOf<T extends unknown[]> = T extends [...unknown[], infer L] ? L : never;
type AckData<E extends keyof OperatorToHubEvents> =
  LastOf<Parameters<OperatorToHubEvents[E]>> extends (ack: Ack<infer D>) => void ? D : never;

import { nodeSigner } from '@serfbort/node';
import { CliError, EXIT } from '../errors.js';
import type { Output } from '../output/output.js';
import { terminalSafe } from '../output/terminal-safe.js';
import type { OperatorSocket } from './client.js';
import {
  ACK_TIMEOUT_MS,
  ackTimeout,
  connectHub,
  connectOne,
  isUnknownEvent,
  unwrap,
} from './client.js';

/** ms a session keeps trying to get back to a hub (the same one, else the next) after losing it */
const RECONNECT_WINDOW_MS = Number(process.env.SERFBORT_RECONNECT_MS) || 60_000;
const DROPPED = Symbol('dropped');

type Listener = (...args: never[]) => void;

/**
 * One logical connection to the hubs with a typed method per request. Every answer is
 * unwrapped: a refusal becomes a CliError carrying the hub's code (exit 3).
 *
 * A hub that restarts (or fails over to the next in the list) does not end the command:
 * the session reconnects, proves its key (or viewer token) again, renews what it watched,
 * asks again what was in flight (every request is safe to repeat: a resubmitted request
 * with the same bytes is a retry at the hub), and tells its users to look again.
 */
export class HubSession {
  private current: OperatorSocket;
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly renewals = new Map<string, () => Promise<unknown>>();
  private login: (() => Promise<unknown>) | undefined;
  private reconnecting: Promise<void> | undefined;
  private closed = false;
  /** fired after a reconnect (look again at what you follow) or when the hub is given up on */
  readonly events = new EventEmitter<{ reconnected: []; lost: [CliError] }>();
  /** the hub's id, from its challenge: which roster and audit head this client holds it to */
  hubId: string | undefined;

  private constructor(
    socket: OperatorSocket,
    public url: string,
    private readonly hubs: readonly string[],
    private readonly out: Output,
  ) {
    this.current = socket;
    this.watchConnection(socket);
  }

  static async open(hubs: readonly string[], out: Output): Promise<HubSession> {
    const { socket, url } = await connectHub(hubs, out);
    return new HubSession(socket, url, hubs, out);
  }

  get socket(): OperatorSocket {
    return this.current;
  }

  /** Listens on this and every later connection. */
  on<E extends keyof HubToOperatorEvents>(event: E, fn: HubToOperatorEvents[E]): void {
    const set = this.listeners.get(event) ?? new Set();
    set.add(fn as Listener);
    this.listeners.set(event, set);
    this.current.on(event, fn as never);
  }

  off<E extends keyof HubToOperatorEvents>(event: E, fn: HubToOperatorEvents[E]): void {
    this.listeners.get(event)?.delete(fn as Listener);
    this.current.off(event, fn as never);
  }

  private watchConnection(socket: OperatorSocket): void {
    socket.on('disconnect', (reason) => {
      if (this.closed || socket !== this.current || reason === 'io client disconnect') return;
      this.reconnecting ??= this.reconnect(String(reason)).finally(() => {
        this.reconnecting = undefined;
      });
      // nobody may be waiting right now: the failure is reported through `lost`
      this.reconnecting.catch(() => undefined);
    });
  }

  private async reconnect(reason: string): Promise<void> {
    this.out.warn(
      `lost the hub connection (${reason}); reconnecting for up to ${Math.round(RECONNECT_WINDOW_MS / 1000)} s`,
    );
    const deadline = Date.now() + RECONNECT_WINDOW_MS;
    // the hub we had first: a restart brings it back at the same address
    const order = [this.url, ...this.hubs.filter((h) => h !== this.url)];
    let delay = 250;
    let last = '';
    while (!this.closed && Date.now() < deadline) {
      for (const url of order) {
        try {
          const socket = await connectOne(url);
          if (this.closed) {
            socket.close();
            return;
          }
          this.adopt(socket, url);
          await this.login?.();
          for (const renew of this.renewals.values()) await renew();
          this.out.warn(`reconnected to ${url}`);
          this.events.emit('reconnected');
          return;
        } catch (e) {
          last = e instanceof Error ? e.message : String(e);
          if (e instanceof CliError && e.exitCode === EXIT.refused) break;
        }
      }
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 2_000);
    }
    const error = new CliError(
      EXIT.hosts,
      'HUB_UNREACHABLE',
      `lost the hub and could not get back to it within ${Math.round(RECONNECT_WINDOW_MS / 1000)} s (${terminalSafe(last)})`,
    );
    this.events.emit('lost', error);
    throw error;
  }

  private adopt(socket: OperatorSocket, url: string): void {
    const old = this.current;
    old.removeAllListeners();
    old.close();
    this.current = socket;
    this.url = url;
    for (const [event, fns] of this.listeners)
      for (const fn of fns) socket.on(event as keyof HubToOperatorEvents, fn as never);
    this.watchConnection(socket);
  }

  /**
   * One request and its acknowledgement; if the connection drops meanwhile, it is asked
   * again once the session is back. socket.io's typings lose the ack type under
   * `timeout()`, so it is restored here from the contract in core.
   */
  private async ask<E extends keyof OperatorToHubEvents>(
    event: E,
    args: AllButLast<Parameters<OperatorToHubEvents[E]>>,
    waitMs = ACK_TIMEOUT_MS,
  ): Promise<AckData<E>> {
    for (let attempt = 0; ; attempt++) {
      if (this.reconnecting) await this.reconnecting;
      const answer = await this.askOnce(event, args, waitMs);
      if (answer !== DROPPED) return answer;
      if (attempt >= 2 || this.closed)
        throw new CliError(EXIT.hosts, 'HUB_UNREACHABLE', 'lost the hub connection');
    }
  }

  private async askOnce<E extends keyof OperatorToHubEvents>(
    event: E,
    args: AllButLast<Parameters<OperatorToHubEvents[E]>>,
    waitMs: number,
  ): Promise<AckData<E> | typeof DROPPED> {
    const socket = this.current;
    if (!socket.connected) return DROPPED;
    const timed = socket.timeout(waitMs) as unknown as {
      emitWithAck(event: string, ...rest: unknown[]): Promise<Ack<AckData<E>>>;
    };
    let onDrop: (() => void) | undefined;
    const dropped = new Promise<typeof DROPPED>((resolve) => {
      onDrop = () => resolve(DROPPED);
      socket.once('disconnect', onDrop);
    });
    try {
      const answer = await Promise.race([timed.emitWithAck(event, ...args), dropped]);
      return answer === DROPPED ? DROPPED : unwrap(answer);
    } catch (e) {
      if (!socket.connected && !(e instanceof CliError)) return DROPPED;
      return ackTimeout(e);
    } finally {
      if (onDrop) socket.off('disconnect', onDrop);
    }
  }

  /** What a fresh connection must say again: who we are, and what we follow. */
  private remember(kind: 'login', again: () => Promise<unknown>): void;
  private remember(kind: string, again: () => Promise<unknown>): void;
  private remember(kind: string, again: () => Promise<unknown>): void {
    if (kind === 'login') this.login = again;
    else this.renewals.set(kind, again);
  }

  /** Proves the operator key: a challenge we build ourselves around the hub's nonce. */
  async authenticate(key: KeyPair): Promise<{ role: 'operator' | 'viewer'; name?: string }> {
    // asked on the connection as it is: a login is part of getting back, never waits for it
    const challenge = await this.askOnce('auth:challenge', [], ACK_TIMEOUT_MS);
    if (challenge === DROPPED)
      throw new CliError(EXIT.hosts, 'HUB_UNREACHABLE', 'lost the hub connection');
    this.hubId = challenge.hubId;
    const payload: OperatorAuth & { speaks: Speaks } = {
      type: 'operator-auth',
      nonce: challenge.nonce,
      hubId: challenge.hubId,
      keyId: key.keyId,
      at: Date.now(),
      speaks: SPEAKS_THIS_BUILD,
    };
    const envelope = signPayload(currentPayloadType('operatorAuth'), payload, [nodeSigner(key)]);
    const who = await this.askOnce('auth:hello', [{ envelope }], ACK_TIMEOUT_MS);
    if (who === DROPPED)
      throw new CliError(EXIT.hosts, 'HUB_UNREACHABLE', 'lost the hub connection');
    this.remember('login', () => this.authenticate(key));
    return who;
  }

  /** Logs in read-only with the hub's viewer token: no key, nothing can be signed. */
  async authenticateViewer(token: string): Promise<{ role: 'operator' | 'viewer' }> {
    // the challenge names the hub's id: a viewer remembers per hub what an operator does
    const challenge = await this.askOnce('auth:challenge', [], ACK_TIMEOUT_MS);
    if (challenge !== DROPPED) this.hubId = challenge.hubId;
    const who = await this.askOnce('auth:hello', [{ viewerToken: token }], ACK_TIMEOUT_MS);
    if (who === DROPPED)
      throw new CliError(EXIT.hosts, 'HUB_UNREACHABLE', 'lost the hub connection');
    this.remember('login', () => this.authenticateViewer(token));
    return who;
  }

  async trust(waitMs?: number): Promise<TrustBundle> {
    return this.ask('trust:get', [], waitMs);
  }

  async publish(kind: 'root' | 'keyring', envelope: Envelope): Promise<{ version: number }> {
    return this.ask('trust:publish', [{ kind, envelope }]);
  }

  async hosts(query: HostQuery): Promise<HostView[]> {
    return this.ask('hosts:list', [query]);
  }

  async submit(request: Envelope): Promise<DeploymentView> {
    return this.ask('deploy:submit', [request]);
  }

  /** the deployment now; `deploy:update` events follow, also across a reconnect */
  async watch(requestId: string): Promise<DeploymentView> {
    const view = await this.ask('deploy:watch', [{ requestId }]);
    this.remember(`deploy:${requestId}`, () =>
      this.askOnce('deploy:watch', [{ requestId }], ACK_TIMEOUT_MS),
    );
    return view;
  }

  async check(query: {
    app: string;
    target?: HostQuery['target'];
    timeoutMs?: number;
    request?: Envelope;
  }): Promise<CheckResult> {
    const wait = (query.timeoutMs ?? 10_000) + ACK_TIMEOUT_MS;
    return this.ask('check:run', [query], wait);
  }

  async history(host: string, limit: number): Promise<HostHistory> {
    return this.ask('hosts:history', [{ host, limit }]);
  }

  /**
   * `history(host, 1)` for at most `LIMITS.headsPerRequest` hosts in one request; null
   * from a hub older than `hosts:heads` (it answers "unknown event"), to ask per host.
   */
  async heads(hosts: readonly string[]): Promise<HostHistory[] | null> {
    try {
      return await this.ask('hosts:heads', [{ hosts: [...hosts] }]);
    } catch (e) {
      if (isUnknownEvent(e)) return null;
      throw e;
    }
  }

  async auditHead(): Promise<AuditHead> {
    return this.ask('audit:head', []);
  }

  async auditRows(after: number): Promise<AuditRow[]> {
    return this.ask('audit:rows', [{ after }]);
  }

  /** the hub's id without logging in (its challenge names it) */
  async identify(): Promise<string> {
    this.hubId = (await this.ask('auth:challenge', [])).hubId;
    return this.hubId;
  }

  async pendingAgents(): Promise<PendingAgent[]> {
    return this.ask('agents:pending', []);
  }

  async approve(approval: Envelope): Promise<{ host: string }> {
    return this.ask('agents:approve', [approval]);
  }

  async grant(grant: Envelope): Promise<{ expiresAt: number }> {
    return this.ask('agents:grant', [grant]);
  }

  async agentKeys(waitMs?: number): Promise<AgentKeyRecord[]> {
    return this.ask('agents:keys', [], waitMs);
  }

  async rolloutStart(start: RolloutStart): Promise<RolloutView> {
    return this.ask('rollout:start', [start]);
  }

  async rolloutResume(id: string, lockTtlMs?: number): Promise<RolloutView> {
    return this.ask('rollout:resume', [{ id, ...(lockTtlMs ? { lockTtlMs } : {}) }]);
  }

  async rolloutControl(control: RolloutControl): Promise<RolloutView> {
    return this.ask('rollout:control', [control]);
  }

  /** the rollout now; `rollout:changed` events follow on this socket */
  async rolloutWatch(id: string): Promise<RolloutView> {
    const view = await this.ask('rollout:watch', [{ id }]);
    this.remember(`rollout:${id}`, () => this.askOnce('rollout:watch', [{ id }], ACK_TIMEOUT_MS));
    return view;
  }

  async rollouts(query: { app?: string; limit?: number }): Promise<RolloutView[]> {
    return this.ask('rollout:list', [query]);
  }

  async lockStatus(app: string): Promise<LockView | null> {
    return this.ask('lock:status', [{ app }]);
  }

  async lockRelease(release: Envelope): Promise<{ app: string; rolloutId: string }> {
    return this.ask('lock:release', [release]);
  }

  /** a signed request that needs co-signers; submitted at once if it has enough signatures */
  async propose(envelope: Envelope): Promise<{ requestId: string; status: ProposalStatus }> {
    return this.ask('proposal:create', [{ envelope }]);
  }

  async proposals(status?: ProposalStatus): Promise<ProposalView[]> {
    return this.ask('proposal:list', [status ? { status } : {}]);
  }

  async proposal(requestId: string): Promise<ProposalView> {
    return this.ask('proposal:get', [{ requestId }]);
  }

  /** the same signature again is a retry at the hub, so a drop mid-request is safe */
  async coSign(
    requestId: string,
    signature: { keyid: string; sig: string },
  ): Promise<ProposalView> {
    return this.ask('proposal:sign', [{ requestId, signature }]);
  }

  async withdraw(requestId: string): Promise<ProposalView> {
    return this.ask('proposal:withdraw', [{ requestId }]);
  }

  close(): void {
    this.closed = true;
    this.current.close();
  }
}
