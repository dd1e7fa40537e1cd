import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { hubConfigFrom } from './config/env.js';

const main = fileURLToPath(new URL('./main.ts', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'serfbort-hub-flags-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs serfbort-hub to its end; none of these cases gets as far as opening a database. */
function runHub(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', main, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: scratch },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

describe('serfbort-hub --version', () => {
  it("prints the package's version and exits 0", async () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    const r = await runHub(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
  }, 60_000);
});

describe('the database URL never on the command line', () => {
  const secretUrl = 'postgres://hub:s3cret@127.0.0.1:1/serfbort';

  it.each([[[]], [['audit', 'verify']]])(
    '%j --database-url is refused, naming DATABASE_URL and --database-url-file',
    async (command) => {
      const r = await runHub([...command, '--database-url', secretUrl]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('--database-url is not accepted on the command line');
      expect(r.stderr).toContain('DATABASE_URL');
      expect(r.stderr).toContain('--database-url-file');
    },
    60_000,
  );

  it('--help offers --database-url-file, not --database-url', async () => {
    const r = await runHub(['run', '--help']);
    expect(r.stdout).toContain('--database-url-file <file>');
    expect(r.stdout).not.toContain('--database-url <url>');
  }, 60_000);

  it('reads the URL from --database-url-file (first line), else from DATABASE_URL', () => {
    const file = join(scratch, 'db-url');
    writeFileSync(file, `${secretUrl}\n`, { mode: 0o600 });
    expect(hubConfigFrom({ databaseUrlFile: file }, {}).databaseUrl).toBe(secretUrl);
    expect(hubConfigFrom({}, { DATABASE_URL_FILE: file }).databaseUrl).toBe(secretUrl);
    expect(hubConfigFrom({}, { DATABASE_URL: secretUrl }).databaseUrl).toBe(secretUrl);
    expect(() => hubConfigFrom({ databaseUrlFile: join(scratch, 'none') }, {})).toThrow(
      /database URL file .*none: ENOENT/,
    );
  });
});

describe('the config file', () => {
  const write = (name: string, text: string) => {
    const path = join(scratch, name);
    writeFileSync(path, text);
    return path;
  };

  it('reads YAML, with secrets named by file or variable, and flags and environment win', () => {
    const token = write('viewer-token', 'a-viewer-token-of-length\n');
    const config = write(
      'hub.yaml',
      [
        'port: 7800',
        'host: 0.0.0.0',
        'dataDir: /var/lib/serfbort-hub',
        `viewerTokenFile: ${token}`,
        'origins: [https://deploy.example.com]',
        'admission: { pendingTotal: 500 }',
        'webhooks:',
        '  endpoints:',
        '    - { name: ops, url: "https://hooks.example.com/x", secretEnv: OPS_HOOK }',
      ].join('\n'),
    );
    const env = { OPS_HOOK: 'a-webhook-secret-long-enough', SERFBORT_HUB_HOST: '127.0.0.1' };
    const c = hubConfigFrom({ config, port: '7900' }, env);
    expect(c).toMatchObject({
      port: 7900, // flag over file
      host: '127.0.0.1', // environment over file
      dataDir: '/var/lib/serfbort-hub',
      viewerToken: 'a-viewer-token-of-length',
      origins: ['https://deploy.example.com'],
      admission: { pendingTotal: 500 },
      webhooks: { endpoints: [{ name: 'ops', secret: 'a-webhook-secret-long-enough' }] },
    });
    // SERFBORT_HUB_CONFIG names it as well
    expect(hubConfigFrom({}, { SERFBORT_HUB_CONFIG: config, ...env }).port).toBe(7800);
  });

  it('refuses an unknown key, or a secret written in it, naming the key', () => {
    const typo = write('typo.yaml', 'prot: 7800\n');
    expect(() => hubConfigFrom({ config: typo }, {})).toThrow(/typo\.yaml: .*prot/);
    const inline = write('inline.yaml', 'databaseUrl: postgres://hub:s3cret@db/serfbort\n');
    let message = '';
    try {
      hubConfigFrom({ config: inline }, {});
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/databaseUrl/);
    expect(message).not.toContain('s3cret');
  });

  it('a missing file stops the hub with one line naming it', async () => {
    const r = await runHub(['--config', join(scratch, 'nope.yaml')]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(
      `serfbort-hub: hub configuration: ${join(scratch, 'nope.yaml')}: ENOENT`,
    );
  }, 60_000);
});
