import type { AgentAuth, OperatorAuth } from '@serfbort/core';
import {
  agentAuth,
  keyIdOf,
  LIMITS,
  openEnvelope,
  operatorAuth,
  PAYLOAD_TYPES,
  tryFromBase64,
  verifySignatures,
} from '@serfbort/core';
import { nodeVerifier } from '@serfbort/node';
import { HubError } from '../errors.js';
import { verifierForAdmitted } from './admitted-keys.js';

export interface Expected {
  /** the nonce this socket was given, or undefined if it never asked */
  nonce: string | undefined;
  hubId: string;
  now: number;
}

/** Both hellos: the challenge was built by the signer around our nonce, our id and the time. */
function checkChallenge(
  claim: { nonce: string; hubId: string; at: number },
  expected: Expected,
): void {
  if (!expected.nonce || claim.nonce !== expected.nonce)
    throw new HubError(
      'UNAUTHENTICATED',
      'the hello does not answer the challenge this connection was given',
    );
  if (claim.hubId !== expected.hubId)
    throw new HubError(
      'UNAUTHENTICATED',
      `the hello is for hub ${claim.hubId}, this is ${expected.hubId}`,
    );
  if (Math.abs(claim.at - expected.now) > LIMITS.clockSkewMs)
    throw new HubError('UNAUTHENTICATED', 'the hello time is outside the allowed clock skew');
}

function open(envelope: unknown, type: string) {
  const opened = openEnvelope(envelope, type);
  if (!opened.ok)
    throw new HubError(
      opened.reason === 'OVERSIZED' ? 'OVERSIZED' : 'BAD_REQUEST',
      `hello: ${opened.detail ?? opened.reason}`,
    );
  return opened.value;
}

/** An agent proves it holds the key it names. Whether that key is trusted is decided later. */
export function verifyAgentHello(
  envelope: unknown,
  expected: Expected,
  alreadyAdmitted: (publicKey: string) => boolean = () => false,
): { hello: AgentAuth; keyId: string; publicKey: Uint8Array } {
  const opened = open(envelope, PAYLOAD_TYPES.agentAuth);
  const parsed = agentAuth.safeParse(opened.payload);
  if (!parsed.success)
    throw new HubError(
      'BAD_REQUEST',
      `hello: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`,
    );
  const hello = parsed.data;
  const publicKey = tryFromBase64(hello.publicKey);
  if (publicKey?.length !== 32)
    throw new HubError('UNAUTHENTICATED', 'the agent key is not an admissible Ed25519 key');
  const verifier = alreadyAdmitted(hello.publicKey) ? verifierForAdmitted(publicKey) : nodeVerifier;
  if (!verifier.admits(publicKey))
    throw new HubError('UNAUTHENTICATED', 'the agent key is not an admissible Ed25519 key');
  const keyId = keyIdOf(publicKey);
  const signed = verifySignatures(opened, (id) => (id === keyId ? publicKey : undefined), verifier);
  if (!signed.ok)
    throw new HubError('UNAUTHENTICATED', 'the hello is not signed by the key it names');
  checkChallenge(hello, expected);
  return { hello, keyId, publicKey };
}

/** An operator proves it holds a key of the current keyring. */
export function verifyOperatorHello(
  envelope: unknown,
  expected: Expected,
  keyFor: (keyId: string) => Uint8Array | undefined,
): OperatorAuth {
  const opened = open(envelope, PAYLOAD_TYPES.operatorAuth);
  const parsed = operatorAuth.safeParse(opened.payload);
  if (!parsed.success)
    throw new HubError(
      'BAD_REQUEST',
      `hello: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`,
    );
  const claim = parsed.data;
  const publicKey = keyFor(claim.keyId);
  if (!publicKey)
    throw new HubError('FORBIDDEN', 'this key is not an operator of the current keyring');
  const signed = verifySignatures(
    opened,
    (id) => (id === claim.keyId ? publicKey : undefined),
    nodeVerifier,
  );
  if (!signed.ok)
    throw new HubError('UNAUTHENTICATED', 'the hello is not signed by the operator key it names');
  checkChallenge(claim, expected);
  return claim;
}
