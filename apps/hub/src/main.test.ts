import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { AuditWriter } from './audit/audit-writer.js';
import { openDatabase } from './db/open.js';
import { WriteQueue } from './db/write-queue.js';
import { freshDataDir } from './testing/data-dir.js';

const main = fileURLToPath(new URL('./main.ts', import.meta.url));
const dirs: string[] = [];

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function runCli(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, ['--import', 'tsx', main, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  createInterface({ input: child.stdout }).on('line', (l) => lines.push(l));
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, lines, exited, stderr: () => stderr };
}

function waitForLine(
  lines: string[],
  child: ReturnType<typeof spawn>,
  match: (l: string) => boolean,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const found = lines.find(match);
      if (found) return resolve(found);
      if (child.exitCode !== null) return reject(new Error('the hub exited'));
      setTimeout(check, 50);
    };
    check();
  });
}

// child processes load PGlite themselves: slow on a busy 2-core machine
describe('serfbort-hub', () => {
  it('starts from the environment alone, prints where it listens, stops on SIGTERM; audit verify then exits 0', async () => {
    const dataDir = await freshDataDir();
    dirs.push(dataDir);
    const hub = runCli([], {
      SERFBORT_HUB_PORT: '0',
      SERFBORT_HUB_DATA: dataDir,
      SERFBORT_VIEWER_TOKEN: 'viewer-token-for-the-cli-test',
    });
    const line = await waitForLine(hub.lines, hub.child, (l) => l.includes('"listening"'));
    const { url, hubId } = JSON.parse(line) as { url: string; hubId: string };
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(hubId).toMatch(/^hub-/);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect(
      (
        await fetch(`${url}/api/hosts`, {
          headers: { authorization: 'Bearer viewer-token-for-the-cli-test' },
        })
      ).status,
    ).toBe(200);
    hub.child.kill('SIGTERM');
    expect(await hub.exited).toBe(0);
    expect(hub.lines.join('\n')).not.toContain('viewer-token-for-the-cli-test');
    const verify = runCli(['audit', 'verify', '--data', dataDir, '--json']);
    expect(await verify.exited).toBe(0);
    expect(JSON.parse(verify.lines[0]!)).toMatchObject({ ok: true });
  }, 120_000);

  it('audit verify exits 1 naming the first broken row', async () => {
    const dataDir = await freshDataDir();
    dirs.push(dataDir);
    const database = await openDatabase({ dataDir });
    const writes = new WriteQueue(database.db, (tx) => new AuditWriter(tx, Date.now));
    await writes.run(async ({ audit }) => {
      await audit.append('trust', { n: 1 });
      await audit.append('deploy', { n: 2 });
      await audit.append('receipt', { n: 3 });
    });
    await database.db.execute(
      sql.raw('alter table audit_log disable trigger audit_log_append_only'),
    );
    await database.db.execute(sql.raw(`update audit_log set body = '{"n":9}' where seq = 2`));
    await database.close();
    const broken = runCli(['audit', 'verify', '--data', dataDir]);
    expect(await broken.exited).toBe(1);
    expect(broken.lines.join('\n')).toContain('BROKEN at row 2');
  }, 120_000);
});
