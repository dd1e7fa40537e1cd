import type { AgentAuth, HelloReading, OperatorAuth, PayloadKind, Speaks } from '@serfbort/core';
import {
  keyIdOf,
  LIMITS,
  openPayload,
  readAgentHello,
  readOperatorHello,
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

/** A signed hello refused only for its time: the host whose clock it shows is named. */
export class ClockSkewError extends HubError {
  constructor(
    readonly skewMs: number,
    readonly host: string,
    readonly keyId: string,
  ) {
    super('CLOCK_SKEW', `the hello time is ${skewSeconds(skewMs)} s off the hub's clock`);
  }
}

export const skewSeconds = (skewMs: number): number => Math.round(skewMs / 1000);

const claimsChallenge = (claim: { nonce: string; hubId: string }, expected: Expected) =>
  expected.nonce !== undefined && claim.nonce === expected.nonce && claim.hubId === expected.hubId;

/** Either version of a hello: v1 (speaks v1 of everything) or v2 (says what it speaks). */
function open<T>(
  envelope: unknown,
  kind: PayloadKind,
  read: (payload: unknown, version: number) => HelloReading<T>,
) {
  const opened = openPayload(envelope, kind);
  if (!opened.ok)
    throw new HubError(
      opened.reason === 'OVERSIZED' ? 'OVERSIZED' : 'BAD_REQUEST',
      `hello: ${opened.detail ?? opened.reason}`,
    );
  const reading = read(opened.value.payload, opened.value.version);
  if (!reading.ok) throw new HubError('BAD_REQUEST', `hello: ${reading.detail}`);
  return { opened: opened.value, hello: reading.hello, speaks: reading.speaks };
}

/** An agent proves it holds the key it names. Whether that key is trusted is decided later. */
export function verifyAgentHello(
  envelope: unknown,
  expected: Expected,
  alreadyAdmitted: (publicKey: string) => boolean = () => false,
): { hello: AgentAuth; keyId: string; publicKey: Uint8Array; speaks: Speaks } {
  const { opened, hello, speaks } = open(envelope, 'agentAuth', readAgentHello);
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
  const skewMs = hello.at - expected.now;
  // signed by the key it names: the hub may tell that key's host its clock is off
  if (Math.abs(skewMs) > LIMITS.clockSkewMs && claimsChallenge(hello, expected))
    throw new ClockSkewError(skewMs, hello.host, keyId);
  checkChallenge(hello, expected);
  return { hello, keyId, publicKey, speaks };
}

/** An operator proves it holds a key of the current keyring. */
export function verifyOperatorHello(
  envelope: unknown,
  expected: Expected,
  keyFor: (keyId: string) => Uint8Array | undefined,
): OperatorAuth & { speaks: Speaks } {
  const { opened, hello: claim, speaks } = open(envelope, 'operatorAuth', readOperatorHello);
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
  return { ...claim, speaks };
}
