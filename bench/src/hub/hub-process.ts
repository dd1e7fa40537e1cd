import type { ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BOUNDS } from '../common/bounds.js';
import { spawnTracked, stopChild } from '../common/children.js';
import { epochMs, sleep } from '../common/wait.js';

/** The workspace's hub bundle, unless --hub-bundle names another build (e.g. one made from HEAD). */
export let HUB_BUNDLE = fileURLToPath(
  new URL('../../../apps/hub/dist/serfbort-hub.mjs', import.meta.url),
);

export function useHubBundle(path: string): void {
  HUB_BUNDLE = path;
}

export interface HubProcess {
  pid: number;
  url: string;
  port: number;
  child: ChildProcess;
  /** the hub's own log (error level) */
  logPath: string;
  /** SIGTERM (graceful close), SIGKILL after the grace time */
  stop(graceMs?: number): Promise<void>;
  /** wall-clock ms of the exit (NaN while running): where a CPU profile ends */
  exitedAt(): number;
}

export interface HubLaunch {
  port: number;
  dataDir: string;
  hubId: string;
  /** write a V8 CPU profile here when the hub exits */
  cpuProfileDir?: string;
}

async function ready(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2000) });
    return res.ok;
  } catch {
    return false;
  }
}

/** The real hub bundle as its own process, so /proc shows its CPU and RSS alone. */
export async function startHubProcess(
  launch: HubLaunch,
  readyMs = BOUNDS.hubReadyMs,
): Promise<HubProcess> {
  if (!existsSync(HUB_BUNDLE))
    throw new Error(`no hub bundle at ${HUB_BUNDLE}: run "npm run build" first`);
  const profile = launch.cpuProfileDir
    ? // a sample every 2 ms: enough detail, little overhead on hour-long runs
      ['--cpu-prof', '--cpu-prof-interval=2000', `--cpu-prof-dir=${launch.cpuProfileDir}`]
    : [];
  const args = [
    ...profile,
    HUB_BUNDLE,
    'run',
    '--port',
    String(launch.port),
    '--host',
    '127.0.0.1',
    '--data',
    launch.dataDir,
    '--hub-id',
    launch.hubId,
    '--log-level',
    'error',
  ];
  // the hub logs errors (JSON lines) on stdout: kept beside its data directory
  const logPath = join(dirname(launch.dataDir), `hub-${launch.port}.log`);
  const log = openSync(logPath, 'a');
  const child = spawnTracked(process.execPath, args, {
    stdio: ['ignore', log, 'inherit'],
    detached: false,
  });
  closeSync(log);
  let exitedAt = Number.NaN;
  child.once('exit', () => {
    exitedAt = epochMs();
  });
  const url = `http://127.0.0.1:${launch.port}`;
  const deadline = Date.now() + readyMs;
  while (!(await ready(url))) {
    if (child.exitCode !== null)
      throw new Error(`the hub exited (${child.exitCode}) while starting`);
    if (Date.now() > deadline) {
      await stopChild(child);
      throw new Error(`the hub was not ready within ${readyMs} ms`);
    }
    await sleep(100);
  }
  return {
    pid: child.pid!,
    url,
    port: launch.port,
    child,
    stop: (graceMs = 15_000) => stopChild(child, graceMs),
    exitedAt: () => exitedAt,
    logPath,
  };
}
