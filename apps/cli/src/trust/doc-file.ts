import { readFileSync } from 'node:fs';
import type { Envelope, KeyringDocument, RootDocument } from '@serfbort/core';
import { keyringDocument, openEnvelope, PAYLOAD_TYPES, rootDocument } from '@serfbort/core';
import { writeFileAtomic } from '@serfbort/node';
import { usageError } from '../errors.js';

/**
 * A trust document file is exactly the signed envelope that gets published, so the bytes
 * an administrator reviewed and co-signed are the bytes the hub and agents verify.
 * A file signed by fewer keys than its threshold is "pending": more signatures can be added.
 */
export type TrustDocFile =
  | { kind: 'root'; path: string; envelope: Envelope; payloadBytes: Uint8Array; doc: RootDocument }
  | {
      kind: 'keyring';
      path: string;
      envelope: Envelope;
      payloadBytes: Uint8Array;
      doc: KeyringDocument;
    };

export function readJsonFile(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw usageError('FILE_NOT_FOUND', `cannot read ${what} ${path}`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw usageError('FILE_INVALID', `${what} ${path} is not JSON`);
  }
}

export function readTrustDoc(
  path: string,
  expected: 'root',
): Extract<TrustDocFile, { kind: 'root' }>;
export function readTrustDoc(
  path: string,
  expected: 'keyring',
): Extract<TrustDocFile, { kind: 'keyring' }>;
export function readTrustDoc(path: string, expected?: 'root' | 'keyring'): TrustDocFile;
export function readTrustDoc(path: string, expected?: 'root' | 'keyring'): TrustDocFile {
  const value = readJsonFile(path, 'trust document');
  const type = (value as { payloadType?: unknown } | null)?.payloadType;
  const kind =
    type === PAYLOAD_TYPES.root ? 'root' : type === PAYLOAD_TYPES.keyring ? 'keyring' : undefined;
  if (!kind || (expected && kind !== expected)) {
    throw usageError(
      'FILE_INVALID',
      `${path} is not a ${expected ?? 'root or keyring'} document envelope`,
    );
  }
  const opened = openEnvelope(value, PAYLOAD_TYPES[kind]);
  if (!opened.ok)
    throw usageError(
      'FILE_INVALID',
      `${path}: ${opened.reason}${opened.detail ? ` (${opened.detail})` : ''}`,
    );
  const { envelope, payloadBytes, payload } = opened.value;
  if (kind === 'root') {
    const doc = rootDocument.safeParse(payload);
    if (!doc.success)
      throw usageError(
        'FILE_INVALID',
        `${path}: not a valid root document: ${doc.error.issues[0]?.message}`,
      );
    return { kind, path, envelope, payloadBytes, doc: doc.data };
  }
  const doc = keyringDocument.safeParse(payload);
  if (!doc.success)
    throw usageError(
      'FILE_INVALID',
      `${path}: not a valid keyring document: ${doc.error.issues[0]?.message}`,
    );
  return { kind, path, envelope, payloadBytes, doc: doc.data };
}

export function writeEnvelope(path: string, envelope: Envelope): void {
  // documents are public; 0644 so they can be handed to agents and other administrators
  writeFileAtomic(path, `${JSON.stringify(envelope, null, 2)}\n`, 0o644);
}
