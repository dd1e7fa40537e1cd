import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { KeyFile } from '@serfbort/client';
import { decryptKeyFile, encryptKeyFile } from '@serfbort/client';
import type { KeyPair, Signer } from '@serfbort/core';
import { createVerifier, keyPairFromSeed, signerFor } from '@serfbort/core';
import { writeFileAtomic } from './atomic-write.js';
import { nodeEd25519 } from './node-ed25519.js';

/** The strict verifier backed by Node's crypto: what hub, agent and CLI use. */
export const nodeVerifier = createVerifier(nodeEd25519);

export const randomSeed = (): Uint8Array => new Uint8Array(randomBytes(32));

export function generateKeyPair(): KeyPair {
  return keyPairFromSeed(randomSeed());
}

export function nodeSigner(keyPair: KeyPair): Signer {
  return signerFor(keyPair, nodeEd25519);
}

export async function writeEncryptedKey(
  path: string,
  keyPair: KeyPair,
  passphrase: string,
  options: { name?: string; scrypt?: { N: number; r: number; p: number } } = {},
): Promise<KeyFile> {
  const file = await encryptKeyFile(keyPair, passphrase, {
    salt: new Uint8Array(randomBytes(32)),
    nonce: new Uint8Array(randomBytes(24)),
    now: Date.now(),
    ...options,
  });
  writeFileAtomic(path, `${JSON.stringify(file, null, 2)}\n`, 0o600);
  return file;
}

export async function readEncryptedKey(path: string, passphrase: string): Promise<KeyPair> {
  return decryptKeyFile(readFileSync(path, 'utf8'), passphrase);
}

/** Unencrypted seed files, for machine keys (agents) that must start unattended; owner-only. */
export function writePlainKey(path: string, keyPair: KeyPair): void {
  writeFileAtomic(
    path,
    `${JSON.stringify({ type: 'serfbort-agent-key', version: 1, seed: Buffer.from(keyPair.seed).toString('base64') })}\n`,
    0o600,
  );
}

export function readPlainKey(path: string): KeyPair {
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as { type?: string; seed?: string };
  if (parsed.type !== 'serfbort-agent-key' || typeof parsed.seed !== 'string')
    throw new Error(`${path} is not a serfbort agent key`);
  return keyPairFromSeed(new Uint8Array(Buffer.from(parsed.seed, 'base64')));
}
