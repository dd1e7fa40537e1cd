import type { DeploymentUpdate, DeploymentView, KeyPair } from '@serfbort/core';
import { signDeploy } from '@serfbort/testkit';
import { BOUNDS } from '../common/bounds.js';
import { rssBytes } from '../common/proc-stats.js';
import { epochMs, pollUntil, sleep, withTimeout } from '../common/wait.js';
import { askAll, type WorkerPool } from '../common/workers.js';
import { heapUsed, hubMetrics } from '../hub/hub-metrics.js';
import { type HubLaunch, type HubProcess, startHubProcess } from '../hub/hub-process.js';
import { call, connectOperator } from '../operator/operator-session.js';
import type { WorkerStats } from './agent-worker.js';
import { BENCH_APP, FLEET_SELECTOR } from './identities.js';
import type { PhaseClock } from './phase-clock.js';

export interface StormResult {
  /** SIGTERM → the old hub process has exited (graceful close) */
  stopMs: number;
  /** new hub process spawned → /readyz answers */
  startMs: number;
  /** restart began (SIGTERM) → every agent authenticated and back in its rooms */
  allBackMs: number;
  /** the new hub ready → every agent back */
  allBackAfterReadyMs: number;
  /** a deploy was in flight when the hub stopped: its receipts after the storm */
  receiptsExpected: number;
  receiptsStored: number;
  /** agents back, sampled every 250 ms from the new hub's readiness: [ms, count] */
  timeline: [number, number][];
  connectErrors: number;
  authFailures: number;
  /** the new hub's RSS when ready (no agents yet) and with every agent back */
  rssReadyBytes: number;
  rssAllBackBytes: number;
  heapReadyBytes: number;
  heapAllBackBytes: number;
}

/**
 * Restart the hub under a full fleet with a deploy in flight: the agents come back
 * with their own jittered backoff, and every receipt must still arrive (agents
 * keep unacknowledged receipts and resend them; the hub re-delivers what is pending).
 */
export async function reconnectStorm(s: {
  hub: HubProcess;
  launch: HubLaunch;
  pool: WorkerPool;
  n: number;
  operatorKey: KeyPair;
  phases: PhaseClock;
}): Promise<{ hub: HubProcess; result: StormResult }> {
  const operator = await connectOperator(s.hub.url, s.operatorKey);
  const { envelope, request } = signDeploy(
    { app: BENCH_APP, version: `v2.${Date.now() % 100_000}`, target: { selector: FLEET_SELECTOR } },
    [s.operatorKey],
  );
  await call(operator, 'deploy:submit', [envelope], BOUNDS.deployMs(s.n));
  operator.close();

  const stopAt = epochMs();
  s.phases.begin('reconnect storm');
  await s.hub.stop(BOUNDS.hubStopGraceMs(s.n));
  const stoppedAt = epochMs();
  const hub = await startHubProcess(s.launch);
  const readyAt = epochMs();
  const rssReadyBytes = rssBytes(hub.pid);
  const heapReadyBytes = heapUsed(await hubMetrics(hub.url));
  const before = await askAll<WorkerStats>(s.pool, 'stats', 'stats');
  let stats: WorkerStats[] = [];
  const timeline: [number, number][] = [];
  await pollUntil(
    async () => {
      stats = await askAll<WorkerStats>(s.pool, 'stats', 'stats');
      const back = stats.reduce((n, w) => n + w.approved, 0);
      timeline.push([Math.round(epochMs() - readyAt), back]);
      return back === s.n;
    },
    BOUNDS.stormMs(s.n),
    'every agent back after the restart',
    250,
  );
  const backAt = Math.max(...stats.map((w) => w.lastApprovedAt));
  s.phases.end();
  const sum = (list: WorkerStats[], f: (w: WorkerStats) => number) =>
    list.reduce((n, w) => n + f(w), 0);
  const connectErrors =
    sum(stats, (w) => w.counters.connectErrors) - sum(before, (w) => w.counters.connectErrors);
  const authFailures =
    sum(stats, (w) => w.counters.authFailures) - sum(before, (w) => w.counters.authFailures);
  await sleep(1000);
  const rssAllBackBytes = rssBytes(hub.pid);
  const heapAllBackBytes = heapUsed(await hubMetrics(hub.url));

  // every receipt of the in-flight deploy, seen through an operator on the new hub
  const watcher = await connectOperator(hub.url, s.operatorKey);
  const stored = new Set<string>();
  try {
    const done = new Promise<void>((resolve) => {
      watcher.on('deploy:update', (u: DeploymentUpdate) => {
        if (u.requestId === request.id && u.host.receipt) stored.add(u.host.host);
        if (stored.size === s.n) resolve();
      });
    });
    const view = await call<DeploymentView>(watcher, 'deploy:watch', [{ requestId: request.id }]);
    for (const h of view.hosts) if (h.receipt) stored.add(h.host);
    if (stored.size < s.n)
      await withTimeout(done, BOUNDS.deployMs(s.n), 'receipts after the restart').catch(
        () => undefined,
      );
  } finally {
    watcher.close();
  }
  return {
    hub,
    result: {
      stopMs: stoppedAt - stopAt,
      startMs: readyAt - stoppedAt,
      allBackMs: backAt - stopAt,
      allBackAfterReadyMs: backAt - readyAt,
      receiptsExpected: s.n,
      receiptsStored: stored.size,
      timeline,
      connectErrors,
      authFailures,
      rssReadyBytes,
      rssAllBackBytes,
      heapReadyBytes,
      heapAllBackBytes,
    },
  };
}
