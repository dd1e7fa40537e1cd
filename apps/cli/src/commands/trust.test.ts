import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Envelope, RootDocument } from '@serfbort/core';
import { verifyInitialRoot, verifyKeyring, verifyRootUpdate } from '@serfbort/core';
import { nodeVerifier } from '@serfbort/node';
import { errorCode, runCli, scratchDir } from '@serfbort/testkit/cli';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const home = scratchDir();
afterAll(() => home.remove());
const run = (args: string[], env: Record<string, string | undefined> = {}) =>
  runCli(args, { cwd: home.dir, env: { SERFBORT_PASSPHRASE: 'pw', ...env } });
const envelopeAt = (file: string): Envelope =>
  JSON.parse(readFileSync(join(home.dir, file), 'utf8'));
const rootAt = (file: string): RootDocument => {
  const v = verifyInitialRoot(envelopeAt(file), nodeVerifier);
  if (!v.ok) throw new Error(`${file}: ${v.reason}`);
  return v.value.root;
};
const keyringAt = (file: string, root: RootDocument) =>
  verifyKeyring(root, envelopeAt(file), nodeVerifier, { now: Date.now() });
const keyIdOfFile = (file: string): string =>
  JSON.parse(readFileSync(join(home.dir, file), 'utf8')).keyId;

beforeAll(async () => {
  for (const name of ['r1', 'r2', 'r3', 'alice', 'bob']) {
    const r = await run(['key', 'generate', '--out', `${name}.key.json`, '--name', name]);
    expect(r.code).toBe(0);
  }
});

describe('trust init', () => {
  it('writes a root signed by its key that core verifies', async () => {
    const r = await run(['trust', 'init', '--root-key', 'r1.key.json', '--out', 'root.json']);
    expect(r.code).toBe(0);
    const root = rootAt('root.json');
    expect(root).toMatchObject({
      version: 1,
      threshold: 1,
      keys: [{ keyId: keyIdOfFile('r1.key.json') }],
    });
    expect(root.expiresAt - root.issuedAt).toBe(365 * 86_400_000);
  });

  it('with threshold 2 and one signer now, is pending until `trust sign` adds the second', async () => {
    const r = await run([
      'trust',
      'init',
      '--root-key',
      'r1.key.json',
      '--root-pubkey',
      'r2.key.json',
      '--threshold',
      '2',
      '--out',
      'root2.json',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('needs 1 more');
    const pending = verifyInitialRoot(envelopeAt('root2.json'), nodeVerifier);
    expect(pending.ok ? 'ok' : pending.reason).toBe('TRUST_NEW_THRESHOLD');
    const signed = await run(['trust', 'sign', 'root2.json', '--root-key', 'r2.key.json', '--yes']);
    expect(signed.code).toBe(0);
    expect(rootAt('root2.json').threshold).toBe(2);
  });

  it('refuses a threshold above the number of keys', async () => {
    const r = await run([
      'trust',
      'init',
      '--root-key',
      'r1.key.json',
      '--threshold',
      '2',
      '--out',
      'bad.json',
    ]);
    expect(r.code).toBe(2);
    expect(errorCode(r)).toBe('BAD_THRESHOLD');
  });

  it('refuses to overwrite an existing root', async () => {
    const r = await run(['trust', 'init', '--root-key', 'r1.key.json', '--out', 'root.json']);
    expect(errorCode(r)).toBe('FILE_EXISTS');
  });
});

describe('keyring edits', () => {
  it('add-operator starts a keyring that verifies against the root, with the scope given', async () => {
    const r = await run([
      '--root',
      'root.json',
      'trust',
      'add-operator',
      'alice.key.json',
      '--name',
      'alice',
      '--apps',
      'shop,api',
      '--selector',
      'role=web',
      '--root-key',
      'r1.key.json',
    ]);
    expect(r.code).toBe(0);
    const v = keyringAt('keyring.json', rootAt('root.json'));
    if (!v.ok) throw new Error(v.reason);
    expect(v.value.keyring.version).toBe(1);
    expect(v.value.keyring.operators).toEqual([
      expect.objectContaining({
        name: 'alice',
        keyId: keyIdOfFile('alice.key.json'),
        apps: ['shop', 'api'],
        selectors: ['role=web'],
      }),
    ]);
    expect(v.value.keyring.expiresAt - v.value.keyring.issuedAt).toBe(30 * 86_400_000);
  });

  it('add-operator with a base64 public key works, and a duplicate name needs --replace', async () => {
    const bob = JSON.parse(readFileSync(join(home.dir, 'bob.key.json'), 'utf8'))
      .publicKey as string;
    const r = await run([
      'trust',
      'add-operator',
      bob,
      '--name',
      'bob',
      '--root-key',
      'r1.key.json',
    ]);
    expect(r.code).toBe(0);
    const dup = await run([
      'trust',
      'add-operator',
      bob,
      '--name',
      'bob',
      '--root-key',
      'r1.key.json',
    ]);
    expect(errorCode(dup)).toBe('OPERATOR_EXISTS');
    const v = keyringAt('keyring.json', rootAt('root.json'));
    expect(v.ok && v.value.keyring.version).toBe(2);
    expect(v.ok && v.value.keyring.operators.map((o) => o.name)).toEqual(['alice', 'bob']);
  });

  it('refuses a selector that does not parse, naming the position', async () => {
    const r = await run([
      'trust',
      'add-operator',
      'alice.key.json',
      '--name',
      'x',
      '--selector',
      'role in (web',
      '--root-key',
      'r1.key.json',
    ]);
    expect(r.code).toBe(2);
    expect(errorCode(r)).toBe('BAD_SELECTOR');
    expect(r.stderr).toMatch(/at \d+/);
  });

  it('set-policy adds a per-app threshold in a new version', async () => {
    const r = await run([
      'trust',
      'set-policy',
      'creds',
      '--threshold',
      '2',
      '--expires',
      '7d',
      '--root-key',
      'r1.key.json',
    ]);
    expect(r.code).toBe(0);
    const v = keyringAt('keyring.json', rootAt('root.json'));
    if (!v.ok) throw new Error(v.reason);
    expect(v.value.keyring).toMatchObject({ version: 3, policies: { creds: { threshold: 2 } } });
    expect(v.value.keyring.expiresAt - v.value.keyring.issuedAt).toBe(7 * 86_400_000);
  });

  it('revoke-operator removes the key in a new version; revoking again is an error', async () => {
    const r = await run([
      'trust',
      'revoke-operator',
      'bob',
      '--out',
      'keyring-revoked.json',
      '--root-key',
      'r1.key.json',
    ]);
    expect(r.code).toBe(0);
    const v = keyringAt('keyring-revoked.json', rootAt('root.json'));
    expect(v.ok && v.value.keyring.operators.map((o) => o.name)).toEqual(['alice']);
    expect(v.ok && v.value.keyring.version).toBe(4);
    const again = await run([
      'trust',
      'revoke-operator',
      'bob',
      '--keyring',
      'keyring-revoked.json',
      '--root-key',
      'r1.key.json',
    ]);
    expect(errorCode(again)).toBe('OPERATOR_NOT_FOUND');
  });

  it('under a 2-of-2 root, a keyring verifies only after `trust sign` by the second root key', async () => {
    const r = await run([
      '--root',
      'root2.json',
      'trust',
      'add-operator',
      'alice.key.json',
      '--name',
      'alice',
      '--keyring',
      'k2.json',
      '--root-key',
      'r1.key.json',
    ]);
    expect(r.code).toBe(0);
    const root2 = rootAt('root2.json');
    const pending = keyringAt('k2.json', root2);
    expect(pending.ok ? 'ok' : pending.reason).toBe('TRUST_THRESHOLD_NOT_MET');
    const noConfirm = await run([
      '--root',
      'root2.json',
      'trust',
      'sign',
      'k2.json',
      '--root-key',
      'r2.key.json',
    ]);
    expect(errorCode(noConfirm)).toBe('CONFIRMATION_REQUIRED');
    const signed = await run([
      '--root',
      'root2.json',
      'trust',
      'sign',
      'k2.json',
      '--root-key',
      'r2.key.json',
      '--yes',
    ]);
    expect(signed.code).toBe(0);
    expect(signed.stdout).toContain('2 of 2');
    expect(keyringAt('k2.json', root2).ok).toBe(true);
  });
});

describe('trust rotate-root', () => {
  it('makes v2 that verifies as an update only when old and new thresholds are met', async () => {
    const r = await run([
      'trust',
      'rotate-root',
      '--current',
      'root.json',
      '--add',
      'r3.key.json',
      '--remove',
      'r1.key.json',
      '--root-key',
      'r1.key.json',
      '--out',
      'root-v2.json',
    ]);
    expect(r.code).toBe(0);
    const current = rootAt('root.json');
    const half = verifyRootUpdate(current, envelopeAt('root-v2.json'), nodeVerifier);
    expect(half.ok ? 'ok' : half.reason).toBe('TRUST_NEW_THRESHOLD');
    expect(
      (
        await run([
          'trust',
          'sign',
          'root-v2.json',
          '--current',
          'root.json',
          '--root-key',
          'r3.key.json',
          '--yes',
        ])
      ).code,
    ).toBe(0);
    const full = verifyRootUpdate(current, envelopeAt('root-v2.json'), nodeVerifier);
    expect(full.ok && full.value.root.keys.map((k) => k.keyId)).toEqual([
      keyIdOfFile('r3.key.json'),
    ]);
  });
});
