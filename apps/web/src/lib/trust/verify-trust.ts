import {
  advanceRoot,
  type RootDocument,
  type TrustBundle,
  type VerifiedKeyring,
  type VerifiedRoot,
  verifyInitialRoot,
  verifyKeyring,
} from '@serfbort/core';
import { browserVerifier } from '../crypto';

/** Days before expiry at which the dashboard starts warning. */
export const EXPIRY_WARNING_MS = 7 * 24 * 60 * 60 * 1000;

export type TrustStatus = 'ok' | 'expiring' | 'expired' | 'no-root' | 'no-keyring' | 'invalid';

export interface TrustView {
  status: TrustStatus;
  root: VerifiedRoot | null;
  /** digest of the first root, as pinned in this browser */
  pinnedDigest: string | null;
  keyring: VerifiedKeyring | null;
  /** a refusal code from core's trust checks, with its detail */
  error: { code: string; message: string } | null;
  /** the earlier of root and keyring expiry */
  expiresAt: number | null;
}

const empty: Omit<TrustView, 'status'> = {
  root: null,
  pinnedDigest: null,
  keyring: null,
  error: null,
  expiresAt: null,
};

/**
 * Verifies the hub's trust bundle in the browser: the first root against the digest
 * this browser pinned (trust on first use, or a configured digest), every rotation
 * after it, then the keyring against the newest root. The hub cannot mint any of it.
 */
export function verifyTrustBundle(
  bundle: TrustBundle,
  pinnedDigest: string | null,
  now: number,
): TrustView {
  const [first, ...rest] = bundle.roots;
  if (!first) return { ...empty, status: 'no-root' };
  const initial = verifyInitialRoot(first, browserVerifier, pinnedDigest ?? undefined);
  if (!initial.ok)
    return {
      ...empty,
      pinnedDigest,
      status: 'invalid',
      error: { code: initial.reason, message: initial.detail ?? initial.reason },
    };
  const head = advanceRoot(initial.value, rest, browserVerifier);
  if (!head.ok)
    return {
      ...empty,
      pinnedDigest: initial.value.digest,
      status: 'invalid',
      error: { code: head.reason, message: head.detail ?? head.reason },
    };
  const root = head.value;
  const base = { ...empty, root, pinnedDigest: initial.value.digest };
  if (!bundle.keyring) return { ...base, status: 'no-keyring', expiresAt: root.root.expiresAt };
  let keyring = verifyKeyring(root.root, bundle.keyring, browserVerifier, { now });
  let expired = root.root.expiresAt <= now;
  if (!keyring.ok && keyring.reason === 'TRUST_DOC_EXPIRED') {
    // show what the expired keyring says, but report it loudly as expired
    expired = true;
    keyring = verifyKeyring(root.root, bundle.keyring, browserVerifier, { now: 0 });
  }
  if (!keyring.ok)
    return {
      ...base,
      status: 'invalid',
      error: { code: keyring.reason, message: keyring.detail ?? keyring.reason },
    };
  const expiresAt = Math.min(root.root.expiresAt, keyring.value.keyring.expiresAt);
  const status: TrustStatus = expired
    ? 'expired'
    : expiresAt - now < EXPIRY_WARNING_MS
      ? 'expiring'
      : 'ok';
  return { ...base, keyring: keyring.value, status, expiresAt };
}

export function rootSummary(root: RootDocument): string {
  return `root v${root.version} · ${root.threshold} of ${root.keys.length} keys`;
}
