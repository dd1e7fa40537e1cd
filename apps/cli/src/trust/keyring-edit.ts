import type { AppPolicy, KeyringDocument, OperatorEntry } from '@serfbort/core';
import { usageError } from '../errors.js';

/**
 * Pure edits of a keyring document. Every edit yields the next version with a fresh
 * lifetime: a keyring is renewed routinely, and its expiry bounds how long a hostile hub
 * can withhold a revocation.
 */
export function emptyKeyring(): KeyringDocument {
  return { type: 'keyring', version: 0, issuedAt: 0, expiresAt: 0, operators: [], policies: {} };
}

export function nextVersion(
  doc: KeyringDocument,
  now: number,
  lifetimeMs: number,
): KeyringDocument {
  return { ...doc, version: doc.version + 1, issuedAt: now, expiresAt: now + lifetimeMs };
}

export function addOperator(
  doc: KeyringDocument,
  entry: OperatorEntry,
  replace: boolean,
): KeyringDocument {
  const clash = doc.operators.filter((op) => op.name === entry.name || op.keyId === entry.keyId);
  if (clash.length > 0 && !replace) {
    const names = clash.map((op) => `${op.name} (${op.keyId})`).join(', ');
    throw usageError(
      'OPERATOR_EXISTS',
      `the keyring already lists ${names}; pass --replace to change it`,
    );
  }
  const others = doc.operators.filter((op) => !clash.includes(op));
  return { ...doc, operators: [...others, entry] };
}

/** Removes by name or key id (a prefix of 8+ hex characters is enough for a key id). */
export function revokeOperator(
  doc: KeyringDocument,
  who: string,
): { doc: KeyringDocument; removed: OperatorEntry[] } {
  const isId = /^[0-9a-f]{8,32}$/.test(who);
  const removed = doc.operators.filter(
    (op) => op.name === who || (isId && op.keyId.startsWith(who)),
  );
  if (removed.length === 0)
    throw usageError(
      'OPERATOR_NOT_FOUND',
      `no operator named or with key id '${who}' in keyring v${doc.version}`,
    );
  if (removed.length > 1 && !removed.every((op) => op.name === who)) {
    throw usageError(
      'AMBIGUOUS',
      `'${who}' matches ${removed.length} operators; give more of the key id`,
    );
  }
  return {
    doc: { ...doc, operators: doc.operators.filter((op) => !removed.includes(op)) },
    removed,
  };
}

/** Threshold 1 is the default, so it removes the policy instead of listing it (unless it requires attestations). */
export function setPolicy(doc: KeyringDocument, app: string, threshold: number): KeyringDocument {
  return withPolicy(doc, app, { ...doc.policies[app], threshold });
}

/** A policy that says only the defaults is not listed: old agents keep reading the keyring alike. */
export function withPolicy(doc: KeyringDocument, app: string, policy: AppPolicy): KeyringDocument {
  const policies = { ...doc.policies };
  if (policy.threshold === 1 && policy.requireAttestation !== true) delete policies[app];
  else policies[app] = policy;
  return { ...doc, policies };
}

/** Operators that could sign for the app at all: fewer than the threshold means no deploy can pass. */
export function operatorsForApp(doc: KeyringDocument, app: string): OperatorEntry[] {
  return doc.operators.filter((op) => op.apps.includes('*') || op.apps.includes(app));
}
