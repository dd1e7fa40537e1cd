import type {
  Ack,
  AgentKeyRecord,
  CheckResult,
  DeploymentView,
  Envelope,
  HostQuery,
  HostView,
  KeyPair,
  LockView,
  OperatorAuth,
  OperatorToHubEvents,
  PendingAgent,
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
import type { Output } from '../output/output.js';
import type { OperatorSocket } from './client.js';
import { ACK_TIMEOUT_MS, ackTimeout, connectHub, unwrap } from './client.js';

/**
 * One connection to a hub with a typed method per request. Every answer is unwrapped:
 * a refusal becomes a CliError carrying the hub's code (exit 3).
 */
export class HubSession {
  /** the id the hub gave in its challenge: which roster this client compares it with */
  hubId: string | undefined;

  private constructor(
    readonly socket: OperatorSocket,
    readonly url: string,
  ) {}

  static async open(hubs: readonly string[], out: Output): Promise<HubSession> {
    const { socket, url } = await connectHub(hubs, out);
    return new HubSession(socket, url);
  }

  /**
   * One request and its acknowledgement. socket.io's typings lose the ack type under
   * `timeout()`, so it is restored here from the contract in core.
   */
  private async ask<E extends keyof OperatorToHubEvents>(
    event: E,
    args: AllButLast<Parameters<OperatorToHubEvents[E]>>,
    waitMs = ACK_TIMEOUT_MS,
  ): Promise<AckData<E>> {
    const timed = this.socket.timeout(waitMs) as unknown as {
      emitWithAck(event: string, ...rest: unknown[]): Promise<Ack<AckData<E>>>;
    };
    return unwrap(await timed.emitWithAck(event, ...args).catch(ackTimeout));
  }

  /** Proves the operator key: a challenge we build ourselves around the hub's nonce. */
  async authenticate(key: KeyPair): Promise<{ role: 'operator' | 'viewer'; name?: string }> {
    const challenge = await this.ask('auth:challenge', []);
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
    return this.ask('auth:hello', [{ envelope }]);
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

  async watch(requestId: string): Promise<DeploymentView> {
    return this.ask('deploy:watch', [{ requestId }]);
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
    return this.ask('rollout:watch', [{ id }]);
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

  close(): void {
    this.socket.close();
  }
}
