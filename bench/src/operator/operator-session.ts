import type {
  Ack,
  Envelope,
  HubToOperatorEvents,
  KeyPair,
  OperatorToHubEvents,
} from '@serfbort/core';
import { OPERATOR_NAMESPACE, PAYLOAD_TYPES, signPayload } from '@serfbort/core';
import { nodeSigner } from '@serfbort/node';
import { io, type Socket } from 'socket.io-client';
import { withTimeout } from '../common/wait.js';

export type OperatorSocket = Socket<HubToOperatorEvents, OperatorToHubEvents>;

export class AckError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(`${code}: ${message}`);
  }
}

/** Emits with an acknowledgement and a bound; a refusal becomes an AckError carrying its code. */
export async function call<T>(
  socket: Socket,
  event: string,
  args: unknown[],
  timeoutMs = 30_000,
): Promise<T> {
  const ack = (await socket.timeout(timeoutMs).emitWithAck(event, ...args)) as Ack<T>;
  if (!ack.ok) throw new AckError(ack.error.code, ack.error.message);
  return ack.data;
}

export async function openSocket(url: string, namespace: string): Promise<Socket> {
  const socket = io(`${url}${namespace}`, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
  });
  await withTimeout(
    new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    }),
    15_000,
    `connect to ${url}${namespace}`,
  );
  return socket;
}

/** An operator session: challenge, a signed operator-auth built around the hub's nonce. */
export async function connectOperator(url: string, operator: KeyPair): Promise<OperatorSocket> {
  const socket = (await openSocket(url, OPERATOR_NAMESPACE)) as OperatorSocket;
  try {
    const challenge = await call<{ nonce: string; hubId: string }>(socket, 'auth:challenge', []);
    const hello = signPayload(
      PAYLOAD_TYPES.operatorAuth,
      {
        type: 'operator-auth',
        nonce: challenge.nonce,
        hubId: challenge.hubId,
        keyId: operator.keyId,
        at: Date.now(),
      },
      [nodeSigner(operator)],
    );
    await call(socket, 'auth:hello', [{ envelope: hello }]);
    return socket;
  } catch (error) {
    socket.close();
    throw error;
  }
}

/** Root then keyring; trust documents verify themselves, so no login is needed. */
export async function publishTrust(url: string, root: Envelope, keyring: Envelope): Promise<void> {
  const socket = await openSocket(url, OPERATOR_NAMESPACE);
  try {
    await call(socket, 'trust:publish', [{ kind: 'root', envelope: root }]);
    await call(socket, 'trust:publish', [{ kind: 'keyring', envelope: keyring }]);
  } finally {
    socket.close();
  }
}
