import { describe, expect, it } from 'vitest';
import { toBase64 } from '../encoding.js';
import type { KeyringDocument } from '../schemas/trust-docs.js';
import { key, keyring, NOW, root, verifier } from '../testing/fixtures.js';
import { authorize } from './authorize.js';
import { verifyKeyring } from './keyring.js';
import { verifyInitialRoot } from './root.js';

const rootKey = key(60);
const alice = key(61);
const bob = key(62);
const rootDoc = verifyInitialRoot(root([rootKey]), verifier);
if (!rootDoc.ok) throw new Error('fixture');

describe('when a trust document lists one key twice', () => {
  it('refuses a keyring naming the same operator key under two entries', () => {
    const env = keyring(
      [
        { name: 'bob', key: bob },
        { name: 'bob-ci', key: bob },
      ],
      [rootKey],
      { policies: { creds: { threshold: 2 } } },
    );
    expect(verifyKeyring(rootDoc.value.root, env, verifier, { now: NOW })).toMatchObject({
      ok: false,
      reason: 'TRUST_DUPLICATE_KEY',
    });
  });

  it('refuses a root listing one key twice (a threshold of 2 met by one holder)', () => {
    expect(verifyInitialRoot(root([rootKey, rootKey], { threshold: 2 }), verifier)).toMatchObject({
      ok: false,
      reason: 'TRUST_DUPLICATE_KEY',
    });
  });

  it('accepts the same keyring with distinct keys (control)', () => {
    const env = keyring(
      [
        { name: 'alice', key: alice },
        { name: 'bob', key: bob },
      ],
      [rootKey],
    );
    expect(verifyKeyring(rootDoc.value.root, env, verifier, { now: NOW })).toMatchObject({
      ok: true,
    });
  });
});

describe('when thresholds are counted', () => {
  const entry = (name: string, k: typeof bob) => ({
    name,
    keyId: k.keyId,
    publicKey: toBase64(k.publicKey),
    apps: ['*'],
    selectors: ['*'],
  });
  // a keyring object that never went through verifyKeyring: authorize must still count keys
  const doubled: KeyringDocument = {
    type: 'keyring',
    version: 1,
    issuedAt: NOW,
    expiresAt: NOW + 1,
    operators: [entry('bob', bob), entry('bob-ci', bob), entry('alice', alice)],
    policies: { creds: { threshold: 2 } },
  };
  const query = { app: 'creds', target: { hosts: ['weba'] }, now: NOW };

  it('counts distinct keys, not keyring entries', () => {
    expect(authorize(doubled, { ...query, signers: [bob.keyId] })).toMatchObject({
      ok: false,
      reason: 'THRESHOLD_NOT_MET',
    });
  });

  it('two distinct keys meet a threshold of two (control)', () => {
    expect(authorize(doubled, { ...query, signers: [bob.keyId, alice.keyId] })).toMatchObject({
      ok: true,
    });
  });
});
