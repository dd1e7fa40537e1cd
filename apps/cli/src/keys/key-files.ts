import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { KeyFile } from '@serfbort/client';
import { decryptKeyFile, KeyFileError, parseKeyFile } from '@serfbort/client';
import type { KeyPair } from '@serfbort/core';
import { fromBase64, keyIdOf } from '@serfbort/core';
import { generateKeyPair, writeEncryptedKey } from '@serfbort/node';
import type { CliConfig } from '../config/config.js';
import { usageError } from '../errors.js';
import { passphraseFor } from './passphrase.js';

/** Reads a key file's public part; no passphrase needed. */
export function readKeyFile(path: string): KeyFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw usageError(
      'KEY_NOT_FOUND',
      `no key file at ${path} (create one with: serfbort key generate --out ${path})`,
    );
  }
  let file: KeyFile;
  try {
    file = parseKeyFile(text);
  } catch (e) {
    if (e instanceof KeyFileError) throw usageError(e.code, `${path}: ${e.message}`);
    throw e;
  }
  // the public part is not encrypted, so check it is at least self-consistent
  if (keyIdOf(fromBase64(file.publicKey)) !== file.keyId) {
    throw usageError('KEYFILE_MALFORMED', `${path}: the key id does not match the public key`);
  }
  return file;
}

const labelOf = (path: string, file: KeyFile) =>
  `${file.name ?? 'key'} ${file.keyId.slice(0, 8)} (${path})`;

/** The operator's key, then each co-signer's key file (relative paths from the working directory). */
export async function signingKeys(
  config: CliConfig,
  own: KeyPair,
  cosignPaths: readonly string[],
): Promise<KeyPair[]> {
  const keys = [own];
  for (const path of cosignPaths) keys.push(await unlockKey(config, resolve(path)));
  return keys;
}

/** Tries a person gets at a passphrase typed on the terminal; a file or the environment gets one. */
const PASSPHRASE_TRIES = 3;

/**
 * Decrypts a key file, asking for its passphrase the configured way. A passphrase typed at
 * the prompt may be mistyped: it is asked again, up to PASSPHRASE_TRIES times.
 */
export async function unlockKey(config: CliConfig, path: string): Promise<KeyPair> {
  const file = readKeyFile(path);
  const typed = config.passphraseFile === undefined && config.passphraseFromEnv === undefined;
  for (let attempt = 1; ; attempt++) {
    const passphrase = await passphraseFor(config, labelOf(path, file));
    try {
      return await decryptKeyFile(file, passphrase);
    } catch (e) {
      if (!(e instanceof KeyFileError)) throw e;
      const left = PASSPHRASE_TRIES - attempt;
      if (e.code !== 'WRONG_PASSPHRASE' || !typed || left === 0)
        throw usageError(e.code, `${path}: ${e.message}`);
      process.stderr.write(
        `wrong passphrase; try again (${left} ${left === 1 ? 'try' : 'tries'} left)\n`,
      );
    }
  }
}

export async function createKeyFile(
  config: CliConfig,
  path: string,
  options: { name?: string; force?: boolean },
): Promise<KeyFile> {
  if (existsSync(path) && !options.force) {
    throw usageError(
      'KEY_EXISTS',
      `${path} already exists; pass --force to replace it (the old key is lost)`,
    );
  }
  const passphrase = await passphraseFor(config, `the new key ${path}`, { repeat: true });
  if (passphrase.length === 0)
    throw usageError('PASSPHRASE_EMPTY', 'an empty passphrase would leave the key unprotected');
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  return writeEncryptedKey(path, generateKeyPair(), passphrase, {
    ...(options.name ? { name: options.name } : {}),
    ...(config.scrypt ? { scrypt: config.scrypt } : {}),
  });
}
