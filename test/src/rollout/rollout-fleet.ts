import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AgentProcess, TestHost } from '@serfbort/testkit/agent';
import { createTestHost, spawnAgent } from '@serfbort/testkit/agent';
import { freshHubDataDir, HubProcess } from '../support/hub-process.js';
import { ensureCliBuilt } from '../web/harness/cli.js';
import { type RunResult, repoRoot, run } from '../web/harness/processes.js';

const CLI = join(repoRoot, 'apps/cli/dist/serfbort.mjs');

/**
 * The health check of the test app: unhealthy only on v2 and only where the test
 * dropped an `unhealthy` file, so the same host rolls back to v1 cleanly.
 */
const HEALTH_SCRIPT = `#!/bin/sh
if [ -f unhealthy ] && [ "$(cat VERSION)" = "v2" ]; then echo "health: 503 from /healthz" >&2; exit 1; fi
echo "health: ok"
`;

/**
 * A real fleet for rollout tests: a hub process, agent processes with real deploy and
 * health-check scripts, and the CLI bundle as a child process with a real key and root.
 */
export class RolloutFleet {
  hub!: HubProcess;
  readonly dir = mkdtempSync(join(tmpdir(), 'serfbort-rollout-'));
  readonly hosts = new Map<string, TestHost>();
  readonly agents = new Map<string, AgentProcess>();
  private readonly drivers = new Set<ChildProcess>();

  private env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    return {
      SERFBORT_HUB: this.hub.url,
      SERFBORT_ROOT: join(this.dir, 'root.json'),
      SERFBORT_KEY: join(this.dir, 'alice.key.json'),
      SERFBORT_PASSPHRASE: 'pw',
      SERFBORT_SCRYPT_LOG_N: '10',
      NO_COLOR: '1',
      HOME: this.dir,
      ...extra,
    };
  }

  cli(args: string[], extra: NodeJS.ProcessEnv = {}): Promise<RunResult> {
    return run(process.execPath, [CLI, ...args], {
      cwd: this.dir,
      env: this.env(extra),
      timeoutMs: 120_000,
    });
  }

  /** A CLI run in the background, to be killed or awaited. */
  spawnCli(args: string[]): { child: ChildProcess; done: Promise<RunResult> } {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: this.dir,
      env: { ...process.env, ...this.env() },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.drivers.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => {
      stdout += d;
    });
    child.stderr!.on('data', (d) => {
      stderr += d;
    });
    const done = new Promise<RunResult>((resolve) =>
      child.on('close', (code) => {
        this.drivers.delete(child);
        resolve({ code, stdout, stderr });
      }),
    );
    return { child, done };
  }

  /** `entry` picks another agent build per host (the mixed-version test runs an old one). */
  async start(
    names: string[],
    labels: (name: string) => string[],
    entry: (name: string) => string | undefined = () => undefined,
  ): Promise<void> {
    await ensureCliBuilt();
    this.hub = await HubProcess.start(await freshHubDataDir());
    const must = async (args: string[]) => {
      const r = await this.cli(args);
      if (r.code !== 0) throw new Error(`serfbort ${args.join(' ')}: ${r.stderr}${r.stdout}`);
      return r;
    };
    await must(['key', 'generate', '--out', 'root.key.json', '--name', 'root-1']);
    await must(['key', 'generate', '--out', 'alice.key.json', '--name', 'alice']);
    await must(['trust', 'init', '--root-key', 'root.key.json', '--out', 'root.json']);
    await must([
      'trust',
      'add-operator',
      'alice.key.json',
      '--name',
      'alice',
      '--root-key',
      'root.key.json',
    ]);
    await must(['trust', 'publish', 'root.json', 'keyring.json']);
    const root = JSON.parse(readFileSync(join(this.dir, 'root.json'), 'utf8'));
    for (const name of names) {
      const host = createTestHost({
        name,
        hub: this.hub.url,
        labels: labels(name),
        apps: ['web'],
        root,
        appConfig: {
          web: { healthCheck: { command: ['./health.sh'], retries: 0, timeout: '10s' } },
        },
      });
      writeFileSync(join(host.appDir('web'), 'VERSION'), 'v1\n');
      writeFileSync(join(host.appDir('web'), 'health.sh'), HEALTH_SCRIPT);
      chmodSync(join(host.appDir('web'), 'health.sh'), 0o755);
      this.hosts.set(name, host);
      const path = entry(name);
      const agent = spawnAgent({ configPath: host.configPath, ...(path ? { entry: path } : {}) });
      this.agents.set(name, agent);
      // the fingerprint as the agent printed it, the way an operator compares it
      const { fingerprint } = await agent.waitForEvent('agent.key-created');
      await agent.waitForEvent('agent.pending');
      await must(['agents', 'approve', name, '--fingerprint', String(fingerprint), '--yes']);
      await agent.waitForEvent('agent.approved');
    }
  }

  host(name: string): TestHost {
    return this.hosts.get(name)!;
  }

  /** Versions the deploy script started on this host, in order (from its ran.log on disk). */
  started(name: string): string[] {
    return this.host(name)
      .ranLog('web')
      .filter((l) => l.startsWith('start '))
      .map((l) => l.split(' ')[1]!);
  }

  /** Stops every CLI still running in the background (a test that failed midway). */
  killDrivers(): void {
    for (const d of this.drivers) d.kill('SIGKILL');
  }

  async close(): Promise<void> {
    for (const d of this.drivers) d.kill('SIGKILL');
    for (const a of this.agents.values()) await a.stop('SIGKILL');
    await this.hub?.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
