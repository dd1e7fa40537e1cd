import { describe, expect, it } from 'vitest';
import { signPayload } from '../envelope/envelope.js';
import { PAYLOAD_TYPES } from '../envelope/payload-types.js';
import { signerFor } from '../keys/signer.js';
import type { RootDocument } from '../schemas/trust-docs.js';
import {
  DAY,
  deploy,
  key,
  keyring,
  listed,
  NOW,
  root,
  trustFrom,
  verifier,
} from '../testing/fixtures.js';
import { authorize } from './authorize.js';
import { verifyKeyring } from './keyring.js';
import { advanceRoot, verifyInitialRoot, verifyRootUpdate } from './root.js';
import { trustHealth } from './state.js';

const [r1, r2, r3, r4] = [key(10), key(11), key(12), key(13)];
const v1 = root([r1!, r2!, r3!], { threshold: 2 }, [r1!, r2!]);
const initial = verifyInitialRoot(v1, verifier);
if (!initial.ok) throw new Error('fixture');
const current: RootDocument = initial.value.root;

describe('the initial root', () => {
  it('needs a threshold of its own keys', () => {
    expect(verifyInitialRoot(root([r1!, r2!], { threshold: 2 }, [r1!]), verifier)).toMatchObject({
      ok: false,
      reason: 'TRUST_NEW_THRESHOLD',
    });
  });
  it('must equal a pinned fingerprint', () => {
    expect(verifyInitialRoot(v1, verifier, initial.ok ? initial.value.digest : '')).toMatchObject({
      ok: true,
    });
    expect(verifyInitialRoot(v1, verifier, '0'.repeat(64))).toMatchObject({
      ok: false,
      reason: 'TRUST_PIN_MISMATCH',
    });
  });
});

describe('root rotation', () => {
  // v2 swaps r3 for r4; threshold stays 2
  const v2keys = [r1!, r2!, r4!];
  it('accepts v2 signed by a threshold of v1 and of v2', () => {
    expect(
      verifyRootUpdate(current, root(v2keys, { version: 2, threshold: 2 }, [r1!, r2!]), verifier),
    ).toMatchObject({ ok: true });
  });
  it('refuses v2 signed only by the old keys', () => {
    expect(
      verifyRootUpdate(current, root([r4!], { version: 2, threshold: 1 }, [r1!, r2!]), verifier),
    ).toMatchObject({ ok: false, reason: 'TRUST_NEW_THRESHOLD' });
  });
  it('refuses v2 signed only by the new keys', () => {
    expect(
      verifyRootUpdate(
        current,
        root([r4!, key(14)], { version: 2, threshold: 2 }, [r4!, key(14)]),
        verifier,
      ),
    ).toMatchObject({ ok: false, reason: 'TRUST_OLD_THRESHOLD' });
  });
  it('refuses an older or equal version', () => {
    expect(verifyRootUpdate(current, v1, verifier)).toMatchObject({
      ok: false,
      reason: 'TRUST_VERSION_NOT_NEWER',
    });
  });
  it('refuses skipping a version', () => {
    expect(
      verifyRootUpdate(current, root(v2keys, { version: 3, threshold: 2 }, [r1!, r2!]), verifier),
    ).toMatchObject({ ok: false, reason: 'TRUST_VERSION_GAP' });
  });
  it('walks a chain and skips what it already has', () => {
    const v2 = root(v2keys, { version: 2, threshold: 2 }, [r1!, r2!]);
    const v3 = root([r4!], { version: 3, threshold: 1 }, [r1!, r4!]);
    const head = initial.ok ? advanceRoot(initial.value, [v1, v2, v3], verifier) : undefined;
    expect(head).toMatchObject({ ok: true, value: { root: { version: 3 } } });
  });
  it('reports an expired root as unusable', () => {
    const old = verifyInitialRoot(root([r1!], { expiresAt: NOW - 1 }), verifier);
    expect(old.ok).toBe(true);
    if (old.ok)
      expect(trustHealth({ root: old.value, keyring: null }, NOW)).toEqual({
        usable: false,
        code: 'NO_KEYRING',
      });
    const st = trustFrom(root([r1!], { expiresAt: NOW + 1000 }), keyring([], [r1!]));
    expect(trustHealth(st, NOW + 2000)).toEqual({ usable: false, code: 'ROOT_EXPIRED' });
  });
  it('refuses a root listing a bad key', () => {
    const identity = new Uint8Array(32);
    identity[0] = 1;
    const doc = {
      type: 'root',
      version: 1,
      issuedAt: NOW,
      expiresAt: NOW + DAY,
      threshold: 1,
      keys: [
        listed(r1!),
        { keyId: '0'.repeat(32), publicKey: 'AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=' },
      ],
    };
    expect(
      verifyInitialRoot(signPayload(PAYLOAD_TYPES.root, doc, [signerFor(r1!)]), verifier),
    ).toMatchObject({ ok: false, reason: 'TRUST_BAD_KEY' });
  });
});

describe('keyrings', () => {
  const op = { name: 'alice', key: key(20) };
  it('accept a threshold of root signatures', () => {
    expect(verifyKeyring(current, keyring([op], [r1!, r2!]), verifier, { now: NOW })).toMatchObject(
      { ok: true },
    );
  });
  it('refuse fewer than the threshold', () => {
    expect(verifyKeyring(current, keyring([op], [r1!]), verifier, { now: NOW })).toMatchObject({
      ok: false,
      reason: 'TRUST_THRESHOLD_NOT_MET',
    });
  });
  it('refuse one signed by a root key that was rotated out', () => {
    const v2 = verifyRootUpdate(
      current,
      root([r1!, r2!, r4!], { version: 2, threshold: 2 }, [r1!, r2!, r4!]),
      verifier,
    );
    expect(v2.ok).toBe(true);
    if (v2.ok)
      expect(
        verifyKeyring(v2.value.root, keyring([op], [r3!, r1!]), verifier, { now: NOW }),
      ).toMatchObject({ ok: false, reason: 'TRUST_THRESHOLD_NOT_MET' });
    if (v2.ok)
      expect(
        verifyKeyring(v2.value.root, keyring([op], [r3!]), verifier, { now: NOW }),
      ).toMatchObject({ ok: false, reason: 'TRUST_BAD_SIGNATURE' });
  });
  it('refuse an older or equal version', () => {
    const prev = verifyKeyring(current, keyring([op], [r1!, r2!], { version: 5 }), verifier, {
      now: NOW,
    });
    expect(prev.ok).toBe(true);
    if (!prev.ok) return;
    expect(
      verifyKeyring(current, keyring([op], [r1!, r2!], { version: 5 }), verifier, {
        now: NOW,
        previous: prev.value.keyring,
      }),
    ).toMatchObject({ ok: false, reason: 'TRUST_VERSION_NOT_NEWER' });
    expect(
      verifyKeyring(current, keyring([op], [r1!, r2!], { version: 4 }), verifier, {
        now: NOW,
        previous: prev.value.keyring,
      }),
    ).toMatchObject({ ok: false, reason: 'TRUST_VERSION_NOT_NEWER' });
    expect(
      verifyKeyring(current, keyring([op], [r1!, r2!], { version: 6 }), verifier, {
        now: NOW,
        previous: prev.value.keyring,
      }),
    ).toMatchObject({ ok: true });
  });
  it('refuse an expired keyring', () => {
    expect(
      verifyKeyring(current, keyring([op], [r1!, r2!], { expiresAt: NOW - 1 }), verifier, {
        now: NOW,
      }),
    ).toMatchObject({ ok: false, reason: 'TRUST_DOC_EXPIRED' });
  });
});

describe('authorization', () => {
  const rootKey = key(30);
  const alice = key(31);
  const bob = key(32);
  const carol = key(33);
  const st = trustFrom(
    root([rootKey]),
    keyring(
      [
        { name: 'alice', key: alice, apps: ['web'], selectors: ['role=web'] },
        { name: 'bob', key: bob },
        { name: 'carol', key: carol, apps: ['creds'] },
      ],
      [rootKey],
      { policies: { creds: { threshold: 2 } } },
    ),
  );
  const kr = st.keyring!.keyring;
  const web = { name: 'weba', labels: { role: 'web' } };
  const db = { name: 'db1', labels: { role: 'db' } };
  const q = (app: string, signers: string[], hosts = [web]) =>
    authorize(kr, { app, target: { selector: 'role=web' }, signers, now: NOW, hosts });

  it('allows an operator within its apps and selectors', () => {
    expect(q('web', [alice.keyId]).ok).toBe(true);
  });
  it('refuses an operator not allowed the app', () => {
    expect(q('api', [alice.keyId])).toMatchObject({ ok: false, reason: 'SIGNER_NOT_ALLOWED' });
  });
  it('refuses an operator outside its selector scope', () => {
    expect(q('web', [alice.keyId], [db])).toMatchObject({
      ok: false,
      reason: 'SIGNER_NOT_ALLOWED',
    });
  });
  it('checks a selector target statically when no hosts are given', () => {
    expect(
      authorize(kr, {
        app: 'web',
        target: { selector: 'role=web,dc=ams' },
        signers: [alice.keyId],
        now: NOW,
      }).ok,
    ).toBe(true);
    expect(
      authorize(kr, {
        app: 'web',
        target: { selector: 'dc=ams' },
        signers: [alice.keyId],
        now: NOW,
      }).ok,
    ).toBe(false);
  });
  it('needs two distinct operators for a 2-of-N app', () => {
    expect(q('creds', [bob.keyId])).toMatchObject({ ok: false, reason: 'THRESHOLD_NOT_MET' });
    expect(q('creds', [bob.keyId, bob.keyId])).toMatchObject({
      ok: false,
      reason: 'THRESHOLD_NOT_MET',
    });
    expect(q('creds', [bob.keyId, carol.keyId]).ok).toBe(true);
  });
  it('ignores an expired operator entry', () => {
    const st2 = trustFrom(
      root([rootKey]),
      keyring([{ name: 'old', key: alice, expiresAt: NOW - 1 }], [rootKey]),
    );
    expect(
      authorize(st2.keyring!.keyring, {
        app: 'web',
        target: { hosts: ['weba'] },
        signers: [alice.keyId],
        now: NOW,
        hosts: [web],
      }),
    ).toMatchObject({ ok: false, reason: 'SIGNER_NOT_ALLOWED' });
  });
  it('is what a deploy fixture signs for', () => {
    expect(deploy({}, [alice]).signatures[0]!.keyid).toBe(alice.keyId);
  });
});
