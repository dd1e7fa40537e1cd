import type {
  Ack,
  AgentKeyRecord,
  Challenge,
  DeploymentUpdate,
  DeploymentView,
  Envelope,
  HostProgress,
  HostView,
  HubToOperatorEvents,
  KeyPair,
  OperatorToHubEvents,
  PendingAgent,
  Receipt,
  RootDocument,
} from '@serfbort/core';
import {
  FINAL_HOST_STATES,
  OPERATOR_NAMESPACE,
  PAYLOAD_TYPES,
  sha256Hex,
  signPayload,
  toBase64,
  trustedAgentKeys,
  verifyKeyring,
  verifyReceipt,
} from '@serfbort/core';
import { nodeSigner, nodeVerifier } from '@serfbort/node';
import type { Socket } from 'socket.io-client';
import { io } from 'socket.io-client';

export type OperatorSocket = Socket<HubToOperatorEvents, OperatorToHubEvents>;

function data<T>(ack: Ack<T>, what: string): T {
  if (!ack.ok)
    throw Object.assign(new Error(`${what}: ${ack.error.code}: ${ack.error.message}`), {
      code: ack.error.code,
    });
  return ack.data;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * An operator session against a real hub, as the CLI would hold it: challenge, a signed
 * operator-auth hello, then trust publishing, approvals, deploys and watching them.
 */
export class OperatorClient {
  private readonly updates: DeploymentUpdate[] = [];

  private constructor(
    readonly socket: OperatorSocket,
    readonly key: KeyPair,
  ) {
    socket.on('deploy:update', (u) => this.updates.push(u));
  }

  /** Connects; `login()` proves the key (after the keyring naming it is published). */
  static async connect(url: string, key: KeyPair): Promise<OperatorClient> {
    const socket: OperatorSocket = io(`${url}${OPERATOR_NAMESPACE}`, {
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    return new OperatorClient(socket, key);
  }

  async login(): Promise<this> {
    const challenge = data<Challenge>(
      await this.socket.timeout(5000).emitWithAck('auth:challenge'),
      'challenge',
    );
    const hello = signPayload(
      PAYLOAD_TYPES.operatorAuth,
      {
        type: 'operator-auth',
        nonce: challenge.nonce,
        hubId: challenge.hubId,
        keyId: this.key.keyId,
        at: Date.now(),
      },
      [nodeSigner(this.key)],
    );
    data(
      await this.socket.timeout(5000).emitWithAck('auth:hello', { envelope: hello }),
      'operator hello',
    );
    return this;
  }

  /** Trust documents verify themselves, so publishing needs no login. */
  async publishTrust(docs: { root?: Envelope; keyring?: Envelope }): Promise<void> {
    if (docs.root)
      data(
        await this.socket
          .timeout(5000)
          .emitWithAck('trust:publish', { kind: 'root', envelope: docs.root }),
        'publish root',
      );
    if (docs.keyring)
      data(
        await this.socket
          .timeout(5000)
          .emitWithAck('trust:publish', { kind: 'keyring', envelope: docs.keyring }),
        'publish keyring',
      );
  }

  /** Waits for `name` to appear as pending, then signs and sends its approval. Returns its key. */
  async approve(name: string, timeoutMs = 15_000): Promise<{ keyId: string; publicKey: string }> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const pending = data<PendingAgent[]>(
        await this.socket.timeout(5000).emitWithAck('agents:pending'),
        'pending',
      );
      const agent = pending.find((p) => p.name === name);
      if (agent) {
        const approval = signPayload(
          PAYLOAD_TYPES.approval,
          {
            type: 'approval',
            host: name,
            agentKeyId: agent.keyId,
            agentPublicKey: agent.publicKey,
            approvedAt: Date.now(),
          },
          [nodeSigner(this.key)],
        );
        data(await this.socket.timeout(5000).emitWithAck('agents:approve', approval), 'approve');
        return { keyId: agent.keyId, publicKey: agent.publicKey };
      }
      if (Date.now() > deadline) throw new Error(`${name} never asked for approval`);
      await sleep(100);
    }
  }

  /** An operator-signed enrollment grant: the hub only ever sees the token's hash. */
  async grant(token: string, host?: string, ttlMs = 3_600_000): Promise<void> {
    const now = Date.now();
    const grant = signPayload(
      PAYLOAD_TYPES.enrollmentGrant,
      {
        type: 'enrollment-grant',
        tokenHash: sha256Hex(token),
        ...(host ? { host } : {}),
        issuedAt: now,
        expiresAt: now + ttlMs,
      },
      [nodeSigner(this.key)],
    );
    data(await this.socket.timeout(5000).emitWithAck('agents:grant', grant), 'grant');
  }

  async submit(envelope: Envelope): Promise<DeploymentView> {
    return data<DeploymentView>(
      await this.socket.timeout(10_000).emitWithAck('deploy:submit', envelope),
      'submit',
    );
  }

  async hosts(): Promise<HostView[]> {
    return data<HostView[]>(await this.socket.timeout(5000).emitWithAck('hosts:list', {}), 'hosts');
  }

  async host(name: string): Promise<HostView | undefined> {
    return (await this.hosts()).find((h) => h.name === name);
  }

  /** The host's progress once it matches `done` (by default: a final state), from events or a poll. */
  async waitForHost(
    requestId: string,
    host: string,
    done: (p: HostProgress) => boolean = (p) => FINAL_HOST_STATES.includes(p.state),
    timeoutMs = 30_000,
  ): Promise<HostProgress> {
    const deadline = Date.now() + timeoutMs;
    let last: HostProgress | undefined;
    while (Date.now() < deadline) {
      const seen = this.updates.find(
        (u) => u.requestId === requestId && u.host.host === host && done(u.host),
      );
      if (seen) return seen.host;
      const view = await this.socket
        .timeout(5000)
        .emitWithAck('deploy:watch', { requestId })
        .catch(() => undefined);
      last = view?.ok ? (view.data as DeploymentView).hosts.find((h) => h.host === host) : last;
      if (last && done(last)) return last;
      await sleep(150);
    }
    throw new Error(
      `${host} did not reach the expected state for ${requestId}; last: ${JSON.stringify(last?.state)}`,
    );
  }

  /** Verifies a host's receipt as a client must: the keyring, the operator-approved agent key, the request. */
  async verifiedReceipt(
    progress: HostProgress,
    request: { id: string; digest: string },
    root: RootDocument,
    keyring: Envelope,
  ): Promise<Receipt> {
    if (!progress.receipt) throw new Error(`no receipt from ${progress.host}`);
    const ring = verifyKeyring(root, keyring, nodeVerifier, { now: Date.now() });
    if (!ring.ok) throw new Error(`keyring: ${ring.reason}`);
    const records = data<AgentKeyRecord[]>(
      await this.socket.timeout(5000).emitWithAck('agents:keys'),
      'agent keys',
    );
    const keys = trustedAgentKeys(records, ring.value, nodeVerifier);
    const v = verifyReceipt(
      progress.receipt,
      { host: progress.host, requestId: request.id, requestDigest: request.digest },
      keys,
      nodeVerifier,
    );
    if (!v.ok) throw new Error(`receipt from ${progress.host} does not verify: ${v.detail}`);
    return v.value;
  }

  close(): void {
    this.socket.removeAllListeners();
    this.socket.close();
  }
}

export const publicKeyOf = (k: KeyPair) => toBase64(k.publicKey);
