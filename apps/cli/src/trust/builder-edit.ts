import type { BuilderEntry, KeyringDocument } from '@serfbort/core';
import { usageError } from '../errors.js';
import { withPolicy } from './keyring-edit.js';

/** Pure edits of a keyring's builders and attestation requirements, like keyring-edit's. */
export function addBuilder(
  doc: KeyringDocument,
  entry: BuilderEntry,
  replace: boolean,
): KeyringDocument {
  const operator = doc.operators.find((op) => op.keyId === entry.keyId);
  if (operator)
    throw usageError(
      'OPERATOR_EXISTS',
      `${entry.keyId} is operator ${operator.name}'s key: a builder needs its own key, or one key could both build and deploy`,
    );
  const builders = doc.builders ?? [];
  const clash = builders.filter((b) => b.name === entry.name || b.keyId === entry.keyId);
  if (clash.length > 0 && !replace)
    throw usageError(
      'OPERATOR_EXISTS',
      `the keyring already lists builder ${clash.map((b) => `${b.name} (${b.keyId})`).join(', ')}; pass --replace to change it`,
    );
  return { ...doc, builders: [...builders.filter((b) => !clash.includes(b)), entry] };
}

/** Removes by name or key id prefix (8+ hex characters); the last one removed drops the list. */
export function removeBuilder(doc: KeyringDocument, who: string): KeyringDocument {
  const isId = /^[0-9a-f]{8,32}$/.test(who);
  const builders = doc.builders ?? [];
  const kept = builders.filter((b) => !(b.name === who || (isId && b.keyId.startsWith(who))));
  if (kept.length === builders.length)
    throw usageError('OPERATOR_NOT_FOUND', `no builder named or with key id '${who}'`);
  const { builders: _, ...rest } = doc;
  return kept.length === 0 ? rest : { ...rest, builders: kept };
}

export function requireAttestation(
  doc: KeyringDocument,
  app: string,
  required: boolean,
): KeyringDocument {
  const threshold = doc.policies[app]?.threshold ?? 1;
  return withPolicy(doc, app, { threshold, ...(required ? { requireAttestation: true } : {}) });
}

/** Builders that may attest the app: none means no deploy of it can pass once it is required. */
export function buildersForApp(doc: KeyringDocument, app: string): BuilderEntry[] {
  return (doc.builders ?? []).filter((b) => b.apps.includes('*') || b.apps.includes(app));
}
