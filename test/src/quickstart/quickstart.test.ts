import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decryptKeyFile } from '@serfbort/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DemoProcess, freePort, REPO } from './demo-process.js';
import { localize, readmeSection, shellBlock } from './readme.js';

/** The README's terminal walk-through, exactly as written, adjusted only for this test's paths and port. */
function readmeSteps(demoDir: string, hubPort: number, name = 'quickstart-cli'): string {
  return localize(shellBlock(readmeSection(name)), { dir: demoDir, hubPort });
}

describe('the README quickstart, followed literally', () => {
  let dir: string;
  let demo: DemoProcess;
  let port: number;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'serfbort-quickstart-'));
    port = await freePort();
    demo = new DemoProcess(join(dir, 'demo'), port);
    await demo.waitFor(/serfbort demo is running/);
    await demo.waitFor(/waiting for approval/, 3);
  });
  afterAll(async () => {
    const code = await demo?.stop();
    expect(code).toBe(0);
    rmSync(dir, { recursive: true, force: true });
  });

  /**
   * One README block in bash, as a reader pastes it: after the first block, in the same
   * terminal (its alias and exports), so a later block runs with them.
   */
  const runBlock = (name?: string, env: NodeJS.ProcessEnv = {}) => {
    const demoDir = join(dir, 'demo');
    const first = readmeSteps(demoDir, port);
    const setup = first
      .split('\n')
      .filter((l) => /^(alias|export) /.test(l))
      .join('\n');
    const steps = name ? `${setup}\n${readmeSteps(demoDir, port, name)}` : first;
    const run = spawnSync('bash', ['-c', `set -euo pipefail\nshopt -s expand_aliases\n${steps}`], {
      cwd: REPO,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', HOME: dir, NO_COLOR: '1', ...env },
      timeout: 180_000,
    });
    const output = `stdout:\n${run.stdout}\nstderr:\n${run.stderr}`;
    // a failed block may be the demo's doing: its log is part of the message
    expect(run.status, `${output}\ndemo:\n${demo.output}`).toBe(0);
    return { demoDir, stdout: run.stdout, stderr: run.stderr, output };
  };

  it('takes a newcomer from a fresh demo to v2 on all three hosts', () => {
    const run = runBlock();
    expect(run.stdout).toMatch(/web v2: 3 succeeded/);
    expect(run.stdout).toMatch(/OK 3 hosts run web v2/);
    for (const host of ['weba', 'webb', 'canary']) {
      expect(readFileSync(join(dir, 'demo/hosts', host, 'app/VERSION'), 'utf8').trim()).toBe('v2');
      // approved by the fingerprint the agent printed, not the one the hub showed
      const fingerprint = readFileSync(join(dir, 'demo/hosts', host, 'fingerprint'), 'utf8').trim();
      expect(demo.output).toMatch(new RegExp(`\\[${host}\\].*fingerprint=${fingerprint}`));
      expect(run.stderr).toContain(`fingerprint ${fingerprint}`);
    }
  });

  it('then rolls out v3 canary first, and halts and rolls back a version that fails its health check', () => {
    const { demoDir, output, ...run } = runBlock('quickstart-rollout');
    expect(run.stdout, output).toMatch(/rollout \S+ of web v3: succeeded/);
    expect(run.stdout, output).toMatch(/rollout \S+ of web v4-broken: halted/);
    expect(run.stdout, output).toMatch(/not released\s+2\s+weba webb/);
    expect(run.stdout, output).toMatch(/rollback \S+ of web: succeeded/);
    expect(run.stdout, output).toMatch(/OK 3 hosts run web v3/);
    for (const host of ['weba', 'webb', 'canary'])
      expect(readFileSync(join(demoDir, 'hosts', host, 'app/VERSION'), 'utf8').trim()).toBe('v3');
  });

  it('keeps running while a host is down, and the host catches up when it is back', async () => {
    const { demoDir, output, ...run } = runBlock('quickstart-offline', {
      SERFBORT_DEMO_DIR: join(dir, 'demo'),
    });
    expect(run.stdout, output).toMatch(/webb\s+│\s+unreachable/);
    expect(run.stdout, output).toMatch(/OK 3 hosts run web v5/);
    // the demo's output waited in its pipe while spawnSync held this test's event loop
    await demo.waitFor(/\[webb\]\s+stopped/, 1, 10_000);
    expect(demo.child.exitCode).toBeNull();
    for (const host of ['weba', 'webb', 'canary'])
      expect(readFileSync(join(demoDir, 'hosts', host, 'app/VERSION'), 'utf8').trim()).toBe('v5');
  });

  it('deploys signed artifacts as releases, rolls back without a fetch, and refuses replaced bytes', () => {
    const { demoDir, output, ...run } = runBlock('quickstart-releases');
    expect(run.stdout, output).toMatch(/site v2: 3 succeeded/);
    expect(run.stdout, output).toMatch(/site v1: 3 succeeded/);
    expect(run.stdout, output).toMatch(/ARTIFACT_MISMATCH/);
    expect(run.stdout, output).toMatch(/OK 3 hosts run site v1/);
    const v1 = createHash('sha256')
      .update(readFileSync(join(demoDir, 'artifacts/site/v1.tar.gz')))
      .digest('hex');
    expect(run.stdout, output).toContain(v1);
    for (const host of ['weba', 'webb', 'canary']) {
      const site = join(demoDir, 'hosts', host, 'site');
      expect(readlinkSync(join(site, 'current'))).toBe(`releases/v1-${v1.slice(0, 12)}`);
      expect(readFileSync(join(site, 'current/index.html'), 'utf8')).toBe('<h1>site v1</h1>\n');
      expect(readdirSync(join(site, 'releases')).some((n) => n.startsWith('v3-'))).toBe(false);
    }
  });

  it('never put the root private key on the hub', async () => {
    const root = await decryptKeyFile(
      readFileSync(join(dir, 'demo/admin/root.key.json'), 'utf8'),
      'demo',
    );
    for (const secret of [
      Buffer.from(root.seed).toString('base64'),
      Buffer.from(root.seed).toString('hex'),
    ]) {
      const found = spawnSync('grep', ['-rlaF', secret, join(dir, 'demo/hub')], {
        encoding: 'utf8',
      });
      expect(found.stdout).toBe('');
    }
  });
});
