import {
  createHash,
  generateKeyPairSync,
  sign as nodeSign,
  verify as nodeVerify,
} from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createVerifier, fromHex, keyPairFromSeed, tweetnaclEd25519 } from '@serfbort/core';
import { describe, expect, it } from 'vitest';
import { nodeEd25519 } from './node-ed25519.js';

// Third-party vectors live beside the project (../shared/vectors), never copied into it.
const VECTORS = join(dirname(fileURLToPath(import.meta.url)), '../../../../shared/vectors');
const FILES = {
  wycheproof: {
    path: join(VECTORS, 'wycheproof/ed25519_test.json'),
    sha256: '752d2ea7d7c6cf4736381b6cbacb61f8182b126ab7cd9b058f00c50084975536',
  },
  speccheck: {
    path: join(VECTORS, 'ed25519-speccheck/cases.json'),
    sha256: '08e47a36d9aead288664930505584f353fff113ab854f2800db1e4f5b3540450',
  },
};
const haveVectors = existsSync(FILES.wycheproof.path) && existsSync(FILES.speccheck.path);
if (!haveVectors)
  console.warn(
    `SKIPPED: Ed25519 vector tests — ${VECTORS} is absent (a clone outside this workspace)`,
  );

function load<T>(file: { path: string; sha256: string }): T {
  const bytes = readFileSync(file.path);
  expect(createHash('sha256').update(bytes).digest('hex')).toBe(file.sha256);
  return JSON.parse(bytes.toString('utf8')) as T;
}

const withNacl = createVerifier(tweetnaclEd25519);
const withNode = createVerifier(nodeEd25519);

interface Wycheproof {
  testGroups: {
    publicKey: { pk: string };
    tests: {
      tcId: number;
      msg: string;
      sig: string;
      result: 'valid' | 'invalid' | 'acceptable';
      flags: string[];
    }[];
  }[];
}

describe.skipIf(!haveVectors)('Wycheproof ed25519_test.json', () => {
  const data = haveVectors ? load<Wycheproof>(FILES.wycheproof) : { testGroups: [] };
  const cases = data.testGroups.flatMap((g) => g.tests.map((t) => ({ ...t, pk: g.publicKey.pk })));
  it('has the expected number of cases', () => {
    expect(cases.length).toBe(151);
  });
  it.each(cases.map((c) => [c.tcId, c] as const))(
    'case %i: both verifiers agree with the expected result',
    (_id, c) => {
      const msg = fromHex(c.msg);
      const sig = fromHex(c.sig);
      const pk = fromHex(c.pk);
      const a = withNacl.verify(msg, sig, pk);
      const b = withNode.verify(msg, sig, pk);
      expect(a).toBe(b);
      // no vector here is "acceptable"; the strict policy only ever refuses more
      expect(a).toBe(c.result === 'valid');
    },
  );
});

describe.skipIf(!haveVectors)('ed25519-speccheck cases.json', () => {
  const cases = haveVectors
    ? load<{ message: string; pub_key: string; signature: string }[]>(FILES.speccheck)
    : [];
  it('has all 12 edge cases', () => {
    expect(cases.length).toBe(12);
  });
  it.each(cases.map((c, i) => [i, c] as const))(
    'case %i is refused by the policy with either primitive',
    (_i, c) => {
      const [msg, pk, sig] = [fromHex(c.message), fromHex(c.pub_key), fromHex(c.signature)];
      expect(withNacl.verify(msg, sig, pk)).toBe(false);
      expect(withNode.verify(msg, sig, pk)).toBe(false);
    },
  );
});

describe('tweetnacl and node:crypto interoperate', () => {
  it('a tweetnacl signature verifies with node:crypto and back', () => {
    for (let i = 0; i < 20; i++) {
      const seed = new Uint8Array(32).map((_, j) => (i * 31 + j * 7) & 0xff);
      const kp = keyPairFromSeed(seed);
      const msg = new TextEncoder().encode(`message ${i}`);
      const byNacl = tweetnaclEd25519.sign(msg, seed);
      const byNode = nodeEd25519.sign(msg, seed);
      expect(Buffer.from(byNacl).equals(Buffer.from(byNode))).toBe(true); // Ed25519 is deterministic
      expect(nodeEd25519.verify(msg, byNacl, kp.publicKey)).toBe(true);
      expect(tweetnaclEd25519.verify(msg, byNode, kp.publicKey)).toBe(true);
    }
  });
  it('agrees with a key pair made by node:crypto itself', () => {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
    const msg = Buffer.from('hello');
    const sig = nodeSign(null, msg, privateKey);
    expect(withNacl.verify(msg, sig, raw)).toBe(true);
    expect(nodeVerify(null, msg, publicKey, sig)).toBe(true);
  });
});
