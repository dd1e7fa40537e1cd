import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DsseEnvelope, KeyPair } from '@serfbort/core';
import { fromHex, keyIdOf } from '@serfbort/core';

/*
 * Debian's python3-securesystemslib, driven through sslib_dsse.py: a DSSE signer and
 * verifier nobody here wrote. The system interpreter, because that is where apt installs it
 * (a pyenv or venv python3 first on PATH would not see it).
 */
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const SCRIPT = join(import.meta.dirname, 'sslib_dsse.py');

const run = (args: string[]) => execFileSync(PYTHON, [SCRIPT, ...args], { encoding: 'utf8' });

export interface SslibKey {
  /** the key dict securesystemslib generated, private half included, as JSON */
  path: string;
  publicHex: string;
  /** the same key as core sees it (only the public half is filled in) */
  publicKey: Uint8Array;
  keyId: string;
}

export function sslibKeygen(dir: string, name: string): SslibKey {
  const text = run(['keygen']);
  const path = join(dir, `${name}.sslib.json`);
  writeFileSync(path, text);
  const publicHex = (JSON.parse(text) as { keyval: { public: string } }).keyval.public;
  const publicKey = fromHex(publicHex);
  return { path, publicHex, publicKey, keyId: keyIdOf(publicKey) };
}

/** securesystemslib signs the statement's exact bytes (its own spacing, not canonical). */
export function sslibSign(key: SslibKey, statementPath: string): DsseEnvelope {
  return JSON.parse(run(['sign', key.path, statementPath])) as DsseEnvelope;
}

/** Whether securesystemslib verifies the envelope with this public key, and what it read. */
export function sslibVerify(publicHex: string, envelopePath: string) {
  const r = spawnSync(PYTHON, [SCRIPT, 'verify', publicHex, envelopePath], { encoding: 'utf8' });
  return {
    ok: r.status === 0,
    stderr: r.stderr,
    read: r.status === 0 ? (JSON.parse(r.stdout) as { keyid: string; subject: unknown[] }) : null,
  };
}

/** A core key pair's public half, as securesystemslib's keyval spells it. */
export const publicHexOf = (k: Pick<KeyPair, 'publicKey'>) =>
  Buffer.from(k.publicKey).toString('hex');
