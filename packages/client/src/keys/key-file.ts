import { scryptAsync } from '@noble/hashes/scrypt.js';
import type { KeyPair } from '@serfbort/core';
import { fromBase64, keyIdOf, keyPairFromSeed, toBase64 } from '@serfbort/core';
import nacl from 'tweetnacl';
import { z } from 'zod';

/** scrypt cost for new key files: about a second on a laptop. */
export const DEFAULT_SCRYPT = { N: 2 ** 17, r: 8, p: 1 } as const;
/** Bounds on parameters read from a file, so a crafted file cannot exhaust memory. */
const MAX_LOG_N = 20;

const b64 = z
  .string()
  .max(4096)
  .regex(/^[A-Za-z0-9+/]*={0,2}$/);

export const keyFileSchema = z.strictObject({
  type: z.literal('serfbort-key'),
  version: z.literal(1),
  name: z.string().max(128).optional(),
  keyId: z.string().regex(/^[0-9a-f]{32}$/),
  publicKey: b64,
  createdAt: z.number().int().nonnegative(),
  kdf: z.strictObject({
    name: z.literal('scrypt'),
    N: z
      .number()
      .int()
      .min(2)
      .max(2 ** MAX_LOG_N)
      .refine((n) => (n & (n - 1)) === 0, 'N must be a power of two'),
    r: z.number().int().min(1).max(32),
    p: z.number().int().min(1).max(16),
    salt: b64,
  }),
  cipher: z.strictObject({
    name: z.literal('xsalsa20-poly1305'),
    nonce: b64,
    ciphertext: b64,
  }),
});
export type KeyFile = z.infer<typeof keyFileSchema>;

export type KeyFileErrorCode =
  | 'KEYFILE_MALFORMED'
  | 'KEYFILE_UNSUPPORTED'
  | 'WRONG_PASSPHRASE'
  | 'KEYFILE_KEY_MISMATCH';

export class KeyFileError extends Error {
  constructor(
    readonly code: KeyFileErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'KeyFileError';
  }
}

export interface EncryptOptions {
  /** 32 random bytes */
  salt: Uint8Array;
  /** 24 random bytes */
  nonce: Uint8Array;
  now: number;
  name?: string;
  scrypt?: { N: number; r: number; p: number };
  onProgress?: (fraction: number) => void;
}

async function deriveKey(
  passphrase: string,
  salt: Uint8Array,
  params: { N: number; r: number; p: number },
  onProgress?: (f: number) => void,
) {
  return scryptAsync(passphrase.normalize('NFKC'), salt, {
    ...params,
    dkLen: 32,
    ...(onProgress ? { onProgress } : {}),
  });
}

export async function encryptKeyFile(
  keyPair: KeyPair,
  passphrase: string,
  options: EncryptOptions,
): Promise<KeyFile> {
  if (options.salt.length !== 32 || options.nonce.length !== 24)
    throw new RangeError('salt is 32 bytes and nonce 24 bytes');
  const params = options.scrypt ?? DEFAULT_SCRYPT;
  const key = await deriveKey(passphrase, options.salt, params, options.onProgress);
  const ciphertext = nacl.secretbox(keyPair.seed, options.nonce, key);
  return {
    type: 'serfbort-key',
    version: 1,
    ...(options.name ? { name: options.name } : {}),
    keyId: keyPair.keyId,
    publicKey: toBase64(keyPair.publicKey),
    createdAt: options.now,
    kdf: { name: 'scrypt', ...params, salt: toBase64(options.salt) },
    cipher: {
      name: 'xsalsa20-poly1305',
      nonce: toBase64(options.nonce),
      ciphertext: toBase64(ciphertext),
    },
  };
}

/** Parses a key file's JSON text (or object) with an error people can act on. */
export function parseKeyFile(input: unknown): KeyFile {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch {
      throw new KeyFileError(
        'KEYFILE_MALFORMED',
        'the key file is not JSON: is it damaged or truncated?',
      );
    }
  }
  if (
    typeof value === 'object' &&
    value !== null &&
    'version' in value &&
    (value as { version: unknown }).version !== 1 &&
    (value as { type?: unknown }).type === 'serfbort-key'
  ) {
    throw new KeyFileError(
      'KEYFILE_UNSUPPORTED',
      `key file version ${String((value as { version: unknown }).version)} is not supported (expected 1)`,
    );
  }
  const parsed = keyFileSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join('.') || 'file';
    throw new KeyFileError(
      'KEYFILE_MALFORMED',
      `the key file is damaged: ${where}: ${issue?.message ?? 'invalid'}`,
    );
  }
  return parsed.data;
}

export async function decryptKeyFile(
  input: unknown,
  passphrase: string,
  onProgress?: (fraction: number) => void,
): Promise<KeyPair> {
  const file = parseKeyFile(input);
  const salt = fromBase64(file.kdf.salt);
  const nonce = fromBase64(file.cipher.nonce);
  const ciphertext = fromBase64(file.cipher.ciphertext);
  if (
    salt.length < 16 ||
    nonce.length !== 24 ||
    ciphertext.length !== 32 + nacl.secretbox.overheadLength
  ) {
    throw new KeyFileError(
      'KEYFILE_MALFORMED',
      'the key file is damaged: wrong salt, nonce or ciphertext length',
    );
  }
  const key = await deriveKey(passphrase, salt, file.kdf, onProgress);
  const seed = nacl.secretbox.open(ciphertext, nonce, key);
  if (!seed)
    throw new KeyFileError('WRONG_PASSPHRASE', 'wrong passphrase (or the key file was altered)');
  const keyPair = keyPairFromSeed(seed);
  if (keyIdOf(keyPair.publicKey) !== file.keyId || toBase64(keyPair.publicKey) !== file.publicKey) {
    throw new KeyFileError(
      'KEYFILE_KEY_MISMATCH',
      'the key file is damaged: its public key does not match its secret key',
    );
  }
  return keyPair;
}
