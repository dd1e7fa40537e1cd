import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, run, stopGroup } from './processes.js';

const webDir = join(repoRoot, 'apps/web');

/** The production build the tests drive; built here only if the root build did not already. */
export async function ensureDashboardBuilt(): Promise<void> {
  if (existsSync(join(webDir, '.next/BUILD_ID'))) return;
  const r = await run('npm', ['run', 'build', '-w', '@serfbort/web'], { timeoutMs: 600_000 });
  if (r.code !== 0)
    throw new Error(`dashboard build failed:\n${r.stdout.slice(-2000)}\n${r.stderr.slice(-2000)}`);
}

export interface RunningDashboard {
  url: string;
  close(): Promise<void>;
}

/** `next start` on 127.0.0.1:port, configured (at runtime) with the hub's URL. */
export async function startDashboard(options: {
  port: number;
  hubUrl: string;
}): Promise<RunningDashboard> {
  const next = join(repoRoot, 'node_modules/next/dist/bin/next');
  const child: ChildProcess = spawn(
    process.execPath,
    [next, 'start', '-p', String(options.port), '-H', '127.0.0.1'],
    {
      cwd: webDir,
      env: {
        ...process.env,
        SERFBORT_HUB: options.hubUrl,
        NODE_ENV: 'production',
        NEXT_TELEMETRY_DISABLED: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    },
  );
  let log = '';
  child.stdout?.on('data', (d) => {
    log += d;
  });
  child.stderr?.on('data', (d) => {
    log += d;
  });
  const url = `http://127.0.0.1:${options.port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`next start exited ${child.exitCode}:\n${log}`);
    try {
      const res = await fetch(`${url}/keys`, { redirect: 'manual' });
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stopGroup(child);
      throw new Error(`next start did not answer within 60 s:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { url, close: () => stopGroup(child) };
}
