import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decryptKeyFile } from '@serfbort/client';
import { fingerprintOf, fromBase64, keyIdOf } from '@serfbort/core';
import { errorCode, runCli, scratchDir } from '@serfbort/testkit/cli';
import { afterAll, describe, expect, it } from 'vitest';

const home = scratchDir();
afterAll(() => home.remove());
const run = (args: string[], env: Record<string, string | undefined> = {}) =>
  runCli(args, { cwd: home.dir, env: { SERFBORT_PASSPHRASE: 'correct horse', ...env } });

describe('key generate', () => {
  it('writes an owner-only key file in core format that decrypts with the passphrase', async () => {
    const r = await run([
      'key',
      'generate',
      '--out',
      'alice.key.json',
      '--name',
      'alice',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const shown = r.json<{ keyId: string; fingerprint: string; publicKey: string; name: string }>();
    const path = join(home.dir, 'alice.key.json');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const pair = await decryptKeyFile(readFileSync(path, 'utf8'), 'correct horse');
    expect(pair.keyId).toBe(shown.keyId);
    expect(keyIdOf(fromBase64(shown.publicKey))).toBe(shown.keyId);
    expect(shown.fingerprint).toBe(fingerprintOf(pair.publicKey));
    expect(shown.name).toBe('alice');
  });

  it('writes to the configured key path by default', async () => {
    const r = await run(['key', 'generate'], {
      SERFBORT_KEY: join(home.dir, 'k', 'default.key.json'),
    });
    expect(r.code).toBe(0);
    expect(statSync(join(home.dir, 'k', 'default.key.json')).isFile()).toBe(true);
  });

  it('refuses to overwrite an existing key without --force', async () => {
    await run(['key', 'generate', '--out', 'twice.key.json']);
    const again = await run(['key', 'generate', '--out', 'twice.key.json']);
    expect(again.code).toBe(2);
    expect(errorCode(again)).toBe('KEY_EXISTS');
    expect((await run(['key', 'generate', '--out', 'twice.key.json', '--force'])).code).toBe(0);
  });

  it('refuses to ask for a passphrase when there is no terminal', async () => {
    const r = await run(['key', 'generate', '--out', 'nopass.key.json'], {
      SERFBORT_PASSPHRASE: undefined,
    });
    expect(r.code).toBe(2);
    expect(errorCode(r)).toBe('PASSPHRASE_REQUIRED');
  });
});

describe('key show', () => {
  it('prints key id, fingerprint and public key, human and JSON alike', async () => {
    await run(['key', 'generate', '--out', 'show.key.json', '--name', 'show']);
    const json = (await run(['key', 'show', 'show.key.json', '--json'])).json<{
      keyId: string;
      fingerprint: string;
      publicKey: string;
    }>();
    const human = await run(['key', 'show', 'show.key.json']);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain(json.keyId);
    expect(human.stdout).toContain(json.fingerprint);
    expect(human.stdout).toContain(json.publicKey);
  });

  it('with --verify and the right passphrase from a file, confirms the key', async () => {
    writeFileSync(join(home.dir, 'pass.txt'), 'correct horse\n');
    const r = await run(
      ['--passphrase-file', 'pass.txt', 'key', 'show', 'show.key.json', '--verify', '--json'],
      { SERFBORT_PASSPHRASE: undefined },
    );
    expect(r.code).toBe(0);
    expect(r.json<{ verified: boolean }>().verified).toBe(true);
  });

  describe('when the passphrase is wrong', () => {
    it('exits 2 with WRONG_PASSPHRASE and no stack trace', async () => {
      const r = await run(['key', 'show', 'show.key.json', '--verify'], {
        SERFBORT_PASSPHRASE: 'wrong',
      });
      expect(r.code).toBe(2);
      expect(errorCode(r)).toBe('WRONG_PASSPHRASE');
      expect(r.stderr).not.toMatch(/\n\s+at /);
    });

    it('says so as JSON too when --json was asked for', async () => {
      const r = await run(['key', 'show', 'show.key.json', '--verify', '--json'], {
        SERFBORT_PASSPHRASE: 'wrong',
      });
      expect(r.code).toBe(2);
      expect(r.json<{ error: { code: string } }>().error.code).toBe('WRONG_PASSPHRASE');
    });
  });

  it('names a missing key file and how to create one', async () => {
    const r = await run(['key', 'show', 'missing.key.json']);
    expect(r.code).toBe(2);
    expect(errorCode(r)).toBe('KEY_NOT_FOUND');
  });

  it('refuses a damaged key file clearly', async () => {
    writeFileSync(join(home.dir, 'broken.key.json'), '{"type":"serfbort-key"');
    const r = await run(['key', 'show', 'broken.key.json']);
    expect(r.code).toBe(2);
    expect(errorCode(r)).toBe('KEYFILE_MALFORMED');
  });
});

describe('help', () => {
  it('deploy --help shows examples and exits 0', async () => {
    const r = await run(['deploy', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Examples:');
  });

  it('an unknown command is a usage error (exit 2)', async () => {
    expect((await run(['frobnicate'])).code).toBe(2);
  });
});
