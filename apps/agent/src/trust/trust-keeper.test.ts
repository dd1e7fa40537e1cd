import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256Hex } from '@serfbort/core';
import { nodeVerifier } from '@serfbort/node';
import { key, signKeyring, signRoot, standardTrust } from '@serfbort/testkit';
import { describe, expect, it } from 'vitest';
import { StateDir } from '../state/state-dir.js';
import { TrustKeeper } from './trust-keeper.js';

const stateDir = () => {
  const dir = new StateDir(mkdtempSync(join(tmpdir(), 'agent-trust-')));
  dir.ensure();
  return dir;
};
const digestOf = (payload: string) => sha256Hex(new Uint8Array(Buffer.from(payload, 'base64')));

describe('TrustKeeper', () => {
  it('accepts the first root whose digest matches the pinned fingerprint, then its keyring', () => {
    const t = standardTrust();
    const keeper = new TrustKeeper(
      stateDir(),
      { rootDigest: digestOf(t.root.envelope.payload) },
      nodeVerifier,
    );
    const update = keeper.apply(
      { roots: [t.root.envelope], keyring: t.keyring.envelope },
      Date.now(),
    );
    expect(update.problems).toEqual([]);
    expect(keeper.summary().keyring?.version).toBe(1);
  });

  it('refuses a root that does not match the pin', () => {
    const t = standardTrust();
    const keeper = new TrustKeeper(stateDir(), { rootDigest: 'f'.repeat(64) }, nodeVerifier);
    const update = keeper.apply(
      { roots: [t.root.envelope], keyring: t.keyring.envelope },
      Date.now(),
    );
    expect(update.problems.map((p) => p.code)).toEqual(['TRUST_PIN_MISMATCH']);
    expect(keeper.state).toBeNull();
  });

  it('keeps what it verified across a restart and refuses an older keyring', () => {
    const t = standardTrust();
    const dir = stateDir();
    const pin = { root: t.root.envelope };
    const keeper = new TrustKeeper(dir, pin, nodeVerifier);
    const v2 = signKeyring({ version: 2, operators: [{ name: 'alice', key: t.operatorKey }] }, [
      t.rootKey,
    ]);
    keeper.apply({ roots: [t.root.envelope], keyring: v2.envelope }, Date.now());
    const restarted = new TrustKeeper(dir, pin, nodeVerifier);
    restarted.load();
    expect(restarted.summary().keyring?.version).toBe(2);
    const older = restarted.apply(
      { roots: [t.root.envelope], keyring: t.keyring.envelope },
      Date.now(),
    );
    expect(older.changed).toBe(false);
    expect(restarted.summary().keyring?.version).toBe(2);
  });

  it('after a root rotation drops a held keyring that the new root does not vouch for', () => {
    const t = standardTrust();
    const newRootKey = key(9);
    const keeper = new TrustKeeper(stateDir(), { root: t.root.envelope }, nodeVerifier);
    keeper.apply({ roots: [t.root.envelope], keyring: t.keyring.envelope }, Date.now());
    const v2 = signRoot({ version: 2, keys: [newRootKey] }, [t.rootKey, newRootKey]);
    const update = keeper.apply(
      { roots: [t.root.envelope, v2.envelope], keyring: t.keyring.envelope },
      Date.now(),
    );
    expect(keeper.summary().root?.version).toBe(2);
    expect(keeper.summary().keyring).toBeNull();
    expect(update.problems.map((p) => p.code)).toContain('TRUST_BAD_SIGNATURE');
    const resigned = signKeyring(
      { version: 2, operators: [{ name: 'alice', key: t.operatorKey }] },
      [newRootKey],
    );
    keeper.apply({ roots: [t.root.envelope, v2.envelope], keyring: resigned.envelope }, Date.now());
    expect(keeper.summary().keyring?.version).toBe(2);
  });
});
