import { randomBytes } from 'node:crypto';
import type {
  Ack,
  AgentToHubEvents,
  Envelope,
  HubToAgentEvents,
  HubToOperatorEvents,
  KeyPair,
  Labels,
  OperatorToHubEvents,
  TrustBundle,
} from '@serfbort/core';
import {
  AGENT_NAMESPACE,
  OPERATOR_NAMESPACE,
  PAYLOAD_TYPES,
  sha256Hex,
  signPayload,
  toBase64,
} from '@serfbort/core';
import { nodeSigner } from '@serfbort/node';
import type { Socket } from 'socket.io-client';
import { io } from 'socket.io-client';

export type AgentClient = Socket<HubToAgentEvents, AgentToHubEvents>;
export type OperatorClient = Socket<HubToOperatorEvents, OperatorToHubEvents>;

/** Connects a raw socket.io client (WebSocket only) and waits for the namespace to open. */
export async function connectSocket<S extends Socket>(
  url: string,
  namespace: string,
  extra: Record<string, unknown> = {},
): Promise<S> {
  const socket = io(`${url}${namespace}`, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    ...extra,
  }) as S;
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}

/** Emits with an acknowledgement and a timeout, untyped on purpose so tests can send bad input. */
export function call<T = unknown>(
  socket: Socket,
  event: string,
  ...args: unknown[]
): Promise<Ack<T>> {
  return socket.timeout(5_000).emitWithAck(event, ...args) as Promise<Ack<T>>;
}

export function expectOk<T>(ack: Ack<T>): T {
  if (!ack.ok) throw new Error(`expected ok, got ${ack.error.code}: ${ack.error.message}`);
  return ack.data;
}

/** Resolves with the next `event` on the socket (its first argument). */
export function nextEvent<T = unknown>(
  socket: Socket,
  event: string,
  timeoutMs = 5_000,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no ${event} within ${timeoutMs} ms`)),
      timeoutMs,
    );
    socket.once(event, (value: T) => {
      clearTimeout(timer);
      resolve(value);
    });
  });
}

export interface AgentIdentity {
  key: KeyPair;
  name: string;
  labels?: Labels;
  apps?: string[];
  enrollmentToken?: string;
}

export function signAgentHello(
  id: AgentIdentity,
  challenge: { nonce: string; hubId: string },
  at = Date.now(),
): Envelope {
  return signPayload(
    PAYLOAD_TYPES.agentAuth,
    {
      type: 'agent-auth',
      nonce: challenge.nonce,
      hubId: challenge.hubId,
      host: id.name,
      publicKey: toBase64(id.key.publicKey),
      labels: id.labels ?? {},
      apps: id.apps ?? [],
      agentVersion: 'test-agent/0',
      at,
      ...(id.enrollmentToken ? { enrollmentToken: id.enrollmentToken } : {}),
    },
    [nodeSigner(id.key)],
  );
}

export function signOperatorHello(
  key: KeyPair,
  challenge: { nonce: string; hubId: string },
  at = Date.now(),
): Envelope {
  return signPayload(
    PAYLOAD_TYPES.operatorAuth,
    { type: 'operator-auth', nonce: challenge.nonce, hubId: challenge.hubId, keyId: key.keyId, at },
    [nodeSigner(key)],
  );
}

export interface TestAgent {
  socket: AgentClient;
  status: 'approved' | 'pending';
  trust: TrustBundle;
  /** every deploy:request received, in order; acknowledged automatically */
  requests: Envelope[];
  /** resolves once at least `count` requests have arrived (counting those already here) */
  waitForRequests(count: number, timeoutMs?: number): Promise<Envelope[]>;
}

/**
 * A tiny in-test agent: challenge, signed hello, and it records (and acknowledges)
 * deploy requests. Throws with the refusal code if the hub says no.
 */
export async function connectAgent(url: string, id: AgentIdentity): Promise<TestAgent> {
  const socket = await connectSocket<AgentClient>(url, AGENT_NAMESPACE);
  const requests: Envelope[] = [];
  const waiters = new Set<() => void>();
  socket.on('deploy:request', (envelope, ack) => {
    requests.push(envelope);
    ack({ received: true });
    for (const wake of waiters) wake();
  });
  const waitForRequests = (count: number, timeoutMs = 5_000) =>
    new Promise<Envelope[]>((resolve, reject) => {
      const check = () => {
        if (requests.length < count) return;
        waiters.delete(check);
        clearTimeout(timer);
        resolve(requests);
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(
          new Error(`only ${requests.length} of ${count} deploy requests within ${timeoutMs} ms`),
        );
      }, timeoutMs);
      waiters.add(check);
      check();
    });
  const challenge = expectOk(
    await call<{ nonce: string; hubId: string }>(socket, 'auth:challenge'),
  );
  const hello = await call<{ status: 'approved' | 'pending'; trust: TrustBundle }>(
    socket,
    'auth:hello',
    signAgentHello(id, challenge),
  );
  if (!hello.ok) {
    socket.disconnect();
    throw Object.assign(new Error(`hello refused: ${hello.error.code}`), {
      code: hello.error.code,
    });
  }
  return { socket, status: hello.data.status, trust: hello.data.trust, requests, waitForRequests };
}

/** An operator session signed with a keyring key (or a viewer with a token). */
export async function connectOperator(
  url: string,
  auth: { key: KeyPair } | { viewerToken: string } | null,
): Promise<OperatorClient> {
  const socket = await connectSocket<OperatorClient>(url, OPERATOR_NAMESPACE);
  if (!auth) return socket;
  let ack: Ack<unknown>;
  if ('key' in auth) {
    const challenge = expectOk(
      await call<{ nonce: string; hubId: string }>(socket, 'auth:challenge'),
    );
    ack = await call(socket, 'auth:hello', { envelope: signOperatorHello(auth.key, challenge) });
  } else ack = await call(socket, 'auth:hello', { viewerToken: auth.viewerToken });
  if (!ack.ok) {
    socket.disconnect();
    throw Object.assign(new Error(`operator hello refused: ${ack.error.code}`), {
      code: ack.error.code,
    });
  }
  return socket;
}

export function signApproval(
  operator: KeyPair,
  agent: KeyPair,
  host: string,
  now = Date.now(),
): Envelope {
  return signPayload(
    PAYLOAD_TYPES.approval,
    {
      type: 'approval',
      host,
      agentKeyId: agent.keyId,
      agentPublicKey: toBase64(agent.publicKey),
      approvedAt: now,
    },
    [nodeSigner(operator)],
  );
}

export function newEnrollmentToken(): string {
  return randomBytes(24).toString('base64url');
}

export function signGrant(
  operator: KeyPair,
  token: string,
  opts: { host?: string; expiresAt?: number } = {},
  now = Date.now(),
): Envelope {
  return signPayload(
    PAYLOAD_TYPES.enrollmentGrant,
    {
      type: 'enrollment-grant',
      tokenHash: sha256Hex(token),
      ...(opts.host ? { host: opts.host } : {}),
      issuedAt: now,
      expiresAt: opts.expiresAt ?? now + 60 * 60 * 1000,
    },
    [nodeSigner(operator)],
  );
}
