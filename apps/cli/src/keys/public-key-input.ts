import { existsSync } from 'node:fs';
import { checkPublicKey, keyIdOf, toBase64, tryFromBase64 } from '@serfbort/core';
import { usageError } from '../errors.js';
import { readKeyFile } from './key-files.js';

export interface PublicKeyInput {
  keyId: string;
  publicKey: string;
  /** the name stored in the key file, when given one */
  name?: string;
}

/**
 * A public key given on the command line: base64 of the 32 raw bytes, or the path of a
 * key file (only its public part is read). Keys that core would not admit are refused here.
 */
export function readPublicKey(input: string): PublicKeyInput {
  const raw = /^[A-Za-z0-9+/]{43}=$/.test(input) ? tryFromBase64(input) : undefined;
  if (raw) {
    const refusal = checkPublicKey(raw);
    if (refusal) throw usageError('BAD_PUBLIC_KEY', `public key ${input}: ${refusal}`);
    return { keyId: keyIdOf(raw), publicKey: toBase64(raw) };
  }
  if (existsSync(input)) {
    const file = readKeyFile(input);
    const bytes = tryFromBase64(file.publicKey)!;
    const refusal = checkPublicKey(bytes);
    if (refusal) throw usageError('BAD_PUBLIC_KEY', `${input}: ${refusal}`);
    return {
      keyId: file.keyId,
      publicKey: file.publicKey,
      ...(file.name ? { name: file.name } : {}),
    };
  }
  throw usageError(
    'BAD_PUBLIC_KEY',
    `'${input}' is neither a base64 public key (44 characters) nor a key file`,
  );
}
