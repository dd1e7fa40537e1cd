import { equalBytes, fingerprintOf, keyIdOf } from '@serfbort/core';
import { describe, expect, it } from 'vitest';
import { key } from '../testing/fixtures.js';
import { decryptKeyFile, encryptKeyFile, KeyFileError, parseKeyFile } from './key-file.js';

const FAST = { N: 2 ** 10, r: 8, p: 1 };
const salt = new Uint8Array(32).fill(7);
const nonce = new Uint8Array(24).fill(9);
const kp = key(3);

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'no error';
  } catch (e) {
    return e instanceof KeyFileError ? e.code : `unexpected ${String(e)}`;
  }
}

describe('key ids', () => {
  it('are 32 hex characters and fingerprints 4 groups of 4', () => {
    expect(keyIdOf(kp.publicKey)).toMatch(/^[0-9a-f]{32}$/);
    expect(fingerprintOf(kp.publicKey)).toMatch(/^[0-9a-f]{4}(-[0-9a-f]{4}){3}$/);
  });
});

describe('encrypted key files', () => {
  it('round-trip through JSON text with the right passphrase', async () => {
    const file = await encryptKeyFile(kp, 'correct horse', {
      salt,
      nonce,
      now: 1,
      name: 'alice',
      scrypt: FAST,
    });
    const back = await decryptKeyFile(JSON.stringify(file), 'correct horse');
    expect(equalBytes(back.seed, kp.seed)).toBe(true);
    expect(file.kdf).toMatchObject({ name: 'scrypt', N: 1024, r: 8, p: 1 });
  });

  it('refuse a wrong passphrase with WRONG_PASSPHRASE', async () => {
    const file = await encryptKeyFile(kp, 'right', { salt, nonce, now: 1, scrypt: FAST });
    expect(await codeOf(decryptKeyFile(file, 'wrong'))).toBe('WRONG_PASSPHRASE');
  });

  it('refuse damaged files with a clear code', async () => {
    const file = await encryptKeyFile(kp, 'pw', { salt, nonce, now: 1, scrypt: FAST });
    const text = JSON.stringify(file);
    expect(await codeOf(decryptKeyFile(text.slice(0, 40), 'pw'))).toBe('KEYFILE_MALFORMED');
    expect(await codeOf(decryptKeyFile({ ...file, kdf: { ...file.kdf, N: 3 } }, 'pw'))).toBe(
      'KEYFILE_MALFORMED',
    );
    expect(await codeOf(decryptKeyFile({ ...file, kdf: { ...file.kdf, N: 2 ** 30 } }, 'pw'))).toBe(
      'KEYFILE_MALFORMED',
    );
    expect(await codeOf(decryptKeyFile({ ...file, version: 2 }, 'pw'))).toBe('KEYFILE_UNSUPPORTED');
    const flipped = file.cipher.ciphertext.startsWith('A')
      ? `B${file.cipher.ciphertext.slice(1)}`
      : `A${file.cipher.ciphertext.slice(1)}`;
    expect(
      await codeOf(
        decryptKeyFile({ ...file, cipher: { ...file.cipher, ciphertext: flipped } }, 'pw'),
      ),
    ).toBe('WRONG_PASSPHRASE');
    const other = key(4);
    expect(await codeOf(decryptKeyFile({ ...file, keyId: other.keyId }, 'pw'))).toBe(
      'KEYFILE_KEY_MISMATCH',
    );
  });

  it('explains what is wrong in its message', () => {
    expect(() => parseKeyFile('{"type":"serfbort-key"}')).toThrow(/damaged/);
  });
});
