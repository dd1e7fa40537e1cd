import { existsSync } from 'node:fs';
import type { Envelope, KeyPair, KeyringDocument, RootDocument } from '@serfbort/core';
import { addSignature, PAYLOAD_TYPES, signPayload } from '@serfbort/core';
import { nodeSigner } from '@serfbort/node';
import type { Ctx } from '../context.js';
import { usageError } from '../errors.js';
import { unlockKey } from '../keys/key-files.js';

/** Unlocks each key file in turn (one passphrase prompt per key, or the shared CI passphrase). */
export async function unlockAll(ctx: Ctx, paths: readonly string[]): Promise<KeyPair[]> {
  if (paths.length === 0)
    throw usageError('KEY_REQUIRED', 'give at least one --root-key to sign with');
  const keys: KeyPair[] = [];
  for (const path of paths) keys.push(await unlockKey(ctx.config, path));
  return keys;
}

export function signRootDoc(doc: RootDocument, keys: readonly KeyPair[]): Envelope {
  return signPayload(PAYLOAD_TYPES.root, doc, keys.map(nodeSigner));
}

export function signKeyringDoc(doc: KeyringDocument, keys: readonly KeyPair[]): Envelope {
  return signPayload(PAYLOAD_TYPES.keyring, doc, keys.map(nodeSigner));
}

/** Co-signs the exact payload bytes already in the file: nothing is re-serialized. */
export function cosign(
  envelope: Envelope,
  payloadBytes: Uint8Array,
  keys: readonly KeyPair[],
): Envelope {
  return keys.reduce((env, k) => addSignature(env, nodeSigner(k), payloadBytes), envelope);
}

export function refuseOverwrite(path: string, force: boolean | undefined): void {
  if (existsSync(path) && !force)
    throw usageError('FILE_EXISTS', `${path} already exists; pass --force to replace it`);
}
