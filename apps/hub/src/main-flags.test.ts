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
