import { execFile } from 'node:child_process';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { AGENT_BUNDLE } from '@serfbort/testkit/agent';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

/** Runs the built bundle, as installed on a host; resolves with exit code and output. */
async function agent(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [AGENT_BUNDLE, ...args], {
      env: { PATH: process.env.PATH, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

function configFile(body: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'agent-cli-'));
  const path = join(dir, 'agent.yaml');
  writeFileSync(path, body);
  return path;
}

const good = `hub: http://127.0.0.1:7700
name: web-1
trust:
  rootFingerprint: ${'a'.repeat(64)}
stateDir: ./state
apps:
  web:
    deploy: [./deploy.sh, "{version}"]
    version: [cat, VERSION]
`;

describe('serfbort-agent', () => {
  it('exits 2 with one line naming the field of a bad config', async () => {
    const path = configFile(good.replace('name: web-1', 'name: web-1\nlabels:\n  release: 1.10'));
    const r = await agent(['run', '--config', path]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('labels.release');
    expect(r.stderr).toContain('quote it');
  });

  it('reads the config path from SERFBORT_AGENT_CONFIG and exits 2 on a missing file', async () => {
    const r = await agent(['run'], { SERFBORT_AGENT_CONFIG: '/nonexistent/agent.yaml' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('/nonexistent/agent.yaml');
  });

  it('init creates an owner-only key and prints the approval step; status reads local state', async () => {
    const path = configFile(good);
    const init = await agent(['init', '--config', path]);
    expect(init.code).toBe(0);
    expect(init.stdout).toMatch(/key id: +[0-9a-f]{32}/);
    expect(init.stdout).toMatch(/fingerprint: +[0-9a-f]{4}-/);
    expect(init.stdout).toContain('serfbort agents approve web-1');
    expect(statSync(join(path, '..', 'state', 'agent-key.json')).mode & 0o777).toBe(0o600);
    const again = await agent(['init', '--config', path]);
    expect(again.stdout).toContain('already exists');
    const status = await agent(['status', '--config', path]);
    // no trust yet: status says so and exits 3
    expect(status.code).toBe(3);
    expect(status.stdout).toContain('outbox: 0');
    expect(status.stdout).toContain('NO_KEYRING');
  });

  it('refuses an unwritable state directory with a clear error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'agent-cli-'));
    writeFileSync(join(dir, 'blocker'), '');
    const r = await agent([
      'init',
      '--state-dir',
      join(dir, 'blocker', 'state'),
      '--name',
      'web-1',
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('STATE_DIR_UNWRITABLE');
  });
});
