import { randomBytes } from 'node:crypto';
import type {
  DeployRequest,
  Envelope,
  KeyPair,
  KeyringDocument,
  RootDocument,
  Target,
} from '@serfbort/core';
import { keyPairFromSeed, PAYLOAD_TYPES, signPayload, toBase64 } from '@serfbort/core';
import { nodeSigner } from '@serfbort/node';

const DAY = 24 * 60 * 60 * 1000;

/** Deterministic keys make failures reproducible: key(n) is always the same key. */
export function key(n: number): KeyPair {
  const seed = new Uint8Array(32);
  seed[0] = n & 0xff;
  seed[1] = (n >> 8) & 0xff;
  seed[31] = 0x5b;
  return keyPairFromSeed(seed);
}

export const listed = (k: Pick<KeyPair, 'keyId' | 'publicKey'>, name?: string) => ({
  keyId: k.keyId,
  publicKey: toBase64(k.publicKey),
  ...(name ? { name } : {}),
});

export function signRoot(
  doc: Partial<Omit<RootDocument, 'keys'>> & { keys: KeyPair[] },
  signers: KeyPair[],
  now = Date.now(),
): { envelope: Envelope; root: RootDocument } {
  const root: RootDocument = {
    type: 'root',
    version: doc.version ?? 1,
    issuedAt: doc.issuedAt ?? now,
    expiresAt: doc.expiresAt ?? now + 365 * DAY,
    threshold: doc.threshold ?? 1,
    keys: doc.keys.map((k) => listed(k)),
  };
  return { envelope: signPayload(PAYLOAD_TYPES.root, root, signers.map(nodeSigner)), root };
}

export interface OperatorSpec {
  name: string;
  key: KeyPair;
  apps?: string[];
  selectors?: string[];
  expiresAt?: number;
}

export function signKeyring(
  spec: {
    version?: number;
    operators: OperatorSpec[];
    policies?: KeyringDocument['policies'];
    expiresAt?: number;
    issuedAt?: number;
    /** build pipelines' keys and the apps each may attest (all apps by default) */
    builders?: { name: string; key: Pick<KeyPair, 'keyId' | 'publicKey'>; apps?: string[] }[];
  },
  signers: KeyPair[],
  now = Date.now(),
): { envelope: Envelope; keyring: KeyringDocument } {
  const keyring: KeyringDocument = {
    type: 'keyring',
    version: spec.version ?? 1,
    issuedAt: spec.issuedAt ?? now,
    expiresAt: spec.expiresAt ?? now + 30 * DAY,
    operators: spec.operators.map((o) => ({
      name: o.name,
      ...listed(o.key),
      apps: o.apps ?? ['*'],
      selectors: o.selectors ?? ['*'],
      ...(o.expiresAt !== undefined ? { expiresAt: o.expiresAt } : {}),
    })),
    policies: spec.policies ?? {},
    ...(spec.builders
      ? {
          builders: spec.builders.map((b) => ({
            name: b.name,
            ...listed(b.key),
            apps: b.apps ?? ['*'],
          })),
        }
      : {}),
  };
  return {
    envelope: signPayload(PAYLOAD_TYPES.keyring, keyring, signers.map(nodeSigner)),
    keyring,
  };
}

export const newRequestId = (): string => randomBytes(12).toString('base64url');

export function signDeploy(
  spec: {
    app: string;
    version: string;
    target: Target;
    id?: string;
    issuedAt?: number;
    expiresAt?: number;
    expect?: string;
    artifact?: DeployRequest['artifact'];
    rollout?: DeployRequest['rollout'];
    attestation?: DeployRequest['attestation'];
  },
  signers: KeyPair[],
  now = Date.now(),
): { envelope: Envelope; request: DeployRequest } {
  const request: DeployRequest = {
    type: 'deploy',
    id: spec.id ?? newRequestId(),
    app: spec.app,
    version: spec.version,
    target: spec.target,
    issuedAt: spec.issuedAt ?? now,
    expiresAt: spec.expiresAt ?? now + 60 * 60 * 1000,
    signers: signers.map((s) => s.keyId),
    ...(spec.expect !== undefined ? { expect: spec.expect } : {}),
    ...(spec.artifact !== undefined ? { artifact: spec.artifact } : {}),
    ...(spec.rollout !== undefined ? { rollout: spec.rollout } : {}),
    ...(spec.attestation !== undefined ? { attestation: spec.attestation } : {}),
  };
  return { envelope: signPayload(PAYLOAD_TYPES.deploy, request, signers.map(nodeSigner)), request };
}

/** A complete, valid trust setup: one root key, one all-powerful operator. */
export function standardTrust(now = Date.now()) {
  const rootKey = key(1);
  const operatorKey = key(2);
  const root = signRoot({ keys: [rootKey] }, [rootKey], now);
  const keyring = signKeyring({ operators: [{ name: 'alice', key: operatorKey }] }, [rootKey], now);
  return { rootKey, operatorKey, root, keyring };
}
