// Test-only helpers for core's own tests (not exported from the package).

import { createVerifier } from '../crypto/policy.js';
import { toBase64 } from '../encoding.js';
import { signPayload } from '../envelope/envelope.js';
import { PAYLOAD_TYPES } from '../envelope/payload-types.js';
import type { KeyPair } from '../keys/signer.js';
import { keyPairFromSeed, signerFor } from '../keys/signer.js';
import type { DeployRequest } from '../schemas/deploy.js';
import type { KeyringDocument, RootDocument } from '../schemas/trust-docs.js';
import { verifyKeyring } from '../trust/keyring.js';
import { verifyInitialRoot } from '../trust/root.js';
import type { TrustState } from '../trust/state.js';

export const verifier = createVerifier();
export const NOW = 1_800_000_000_000;
export const DAY = 86_400_000;

export function key(n: number): KeyPair {
  const seed = new Uint8Array(32);
  seed[0] = n;
  seed[31] = 0x7c;
  return keyPairFromSeed(seed);
}

export const listed = (k: KeyPair) => ({ keyId: k.keyId, publicKey: toBase64(k.publicKey) });
const sign = (type: string, payload: unknown, signers: KeyPair[]) =>
  signPayload(
    type,
    payload,
    signers.map((s) => signerFor(s)),
  );

export function root(
  keys: KeyPair[],
  opts: Partial<Pick<RootDocument, 'version' | 'threshold' | 'expiresAt'>> = {},
  signers: KeyPair[] = keys,
) {
  const doc: RootDocument = {
    type: 'root',
    version: opts.version ?? 1,
    issuedAt: NOW - DAY,
    expiresAt: opts.expiresAt ?? NOW + 365 * DAY,
    threshold: opts.threshold ?? 1,
    keys: keys.map(listed),
  };
  return sign(PAYLOAD_TYPES.root, doc, signers);
}

export interface Op {
  name: string;
  key: KeyPair;
  apps?: string[];
  selectors?: string[];
  expiresAt?: number;
}

export function keyring(
  ops: Op[],
  signers: KeyPair[],
  opts: {
    version?: number;
    expiresAt?: number;
    policies?: KeyringDocument['policies'];
    builders?: KeyringDocument['builders'];
  } = {},
) {
  const doc: KeyringDocument = {
    type: 'keyring',
    version: opts.version ?? 1,
    issuedAt: NOW - DAY,
    expiresAt: opts.expiresAt ?? NOW + 30 * DAY,
    operators: ops.map((o) => ({
      name: o.name,
      ...listed(o.key),
      apps: o.apps ?? ['*'],
      selectors: o.selectors ?? ['*'],
      ...(o.expiresAt ? { expiresAt: o.expiresAt } : {}),
    })),
    policies: opts.policies ?? {},
    ...(opts.builders ? { builders: opts.builders } : {}),
  };
  return sign(PAYLOAD_TYPES.keyring, doc, signers);
}

export function deploy(fields: Partial<DeployRequest>, signers: KeyPair[]) {
  const request: DeployRequest = {
    type: 'deploy',
    id: 'req-00000001',
    app: 'web',
    version: 'v1.2.3',
    target: { selector: 'role=web' },
    issuedAt: NOW - 1000,
    expiresAt: NOW + 3_600_000,
    signers: signers.map((s) => s.keyId),
    ...fields,
  };
  return sign(PAYLOAD_TYPES.deploy, request, signers);
}

/** A verified trust state from envelopes; throws if the fixture itself is wrong. */
export function trustFrom(rootEnv: unknown, keyringEnv: unknown, now = NOW): TrustState {
  const r = verifyInitialRoot(rootEnv, verifier);
  if (!r.ok) throw new Error(`fixture root: ${r.reason}`);
  const k = verifyKeyring(r.value.root, keyringEnv, verifier, { now });
  if (!k.ok) throw new Error(`fixture keyring: ${k.reason}`);
  return { root: r.value, keyring: k.value };
}
