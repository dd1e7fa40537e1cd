import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BOUNDS } from '../common/bounds.js';
import { freePort } from '../common/free-port.js';
import { rssBytes } from '../common/proc-stats.js';
import { type Summary, summarize } from '../common/stats.js';
import { connectWindowMs, shareOut, startWorkers } from '../common/workers.js';
import { freshHubDataDir } from '../hub/data-dir.js';
import { heapUsed, hubMetrics } from '../hub/hub-metrics.js';
import { type HubProcess, startHubProcess } from '../hub/hub-process.js';
import { probeLag } from '../hub/lag-probe.js';
import type { LagFigures } from '../hub/lag-window.js';
import { approveAgents } from '../operator/approve-agents.js';
import { connectOperator, publishTrust } from '../operator/operator-session.js';
import { timeDeploy } from '../operator/time-deploy.js';
import { type HeadsTiming, timeHeads } from '../operator/time-heads.js';
import { RESULTS_DIR } from '../report/results-file.js';
import type { StartMessage } from './agent-worker.js';
import { runDeployRounds } from './deploy-rounds.js';
import type { FloodResult } from './flood-run.js';
import { agentKeyPair, agentName, BENCH_APP } from './identities.js';
import { PhaseClock, type PhaseProfile } from './phase-clock.js';
import { reconnectStorm, type StormResult } from './reconnect-storm.js';
import { IDLE_SETTLE_MS, type IdleAfterReceipts, idleHubRss } from './stored-receipts.js';
import { benchTrust } from './trust-setup.js';

export interface SimResult {
  n: number;
  workers: number;
  /** whether one unmeasured deploy ran first */
  warmUp: boolean;
  /** why the deploys stopped early, when they did (the figures before it stand) */
  failure?: string;
  /** the slowest /healthz answer during the deploys: how long the hub's event loop was blocked */
  worstHubLagMs: number;
  /** the hub's own event-loop lag (its /metrics) over the measured fleet deploys */
  fleetLag?: LagFigures;
  /** every host's newest receipt and signed heads, as `list` and `check` fetch them */
  heads?: HeadsTiming;
  /** one agent floods presence reports while deploys to others are timed */
  flood?: FloodResult;
  /** the new hub with its embedded database and no agent, settled */
  rssFreshBytes: number;
  /** the hub restarted alone on this run's database once the bench is done */
  idleAfterReceipts?: IdleAfterReceipts;
  approvalsMs: number;
  /** first connect started → last agent authenticated and approved */
  connectMs: number;
  connectionsPerSecond: number;
  acceptedMs: Summary;
  receiptsMs: Summary;
  hubCpuMsPerDeploy: Summary;
  hubCpuUsPerReceipt: number;
  loadGeneratorCpuMsPerDeploy: number;
  onePercent: {
    n: number;
    receiptsMs: Summary;
    hubCpuMsPerDeploy: Summary;
    cpuShareOfFleet: number;
  };
  memory: {
    rssIdleBytes: number;
    rssBytes: number;
    rssPerAgentBytes: number;
    heapIdleBytes: number;
    heapBytes: number;
    heapPerAgentBytes: number;
  };
  storm?: StormResult;
  profileDir?: string;
  /** hub CPU profile (self time) per phase, with --profile-hub */
  profile?: Record<string, PhaseProfile>;
}

export interface SimOptions {
  rounds: number;
  maxWorkers: number;
  storm: boolean;
  /** fill the database to this many receipts, then measure an idle hub on it (0: skip) */
  seedReceipts: number;
  profileDir?: string;
}

/** The real hub, N simulated agents, deploys timed end to end. */
export async function runSim(n: number, o: SimOptions): Promise<SimResult> {
  const workDir = mkdtempSync(join(tmpdir(), 'serfbort-bench-hub-'));
  const dataDir = await freshHubDataDir(join(workDir, 'hub'));
  const port = await freePort();
  const launch = {
    port,
    dataDir,
    hubId: 'bench-hub',
    ...(o.profileDir ? { cpuProfileDir: join(o.profileDir, `n${n}-hub1`) } : {}),
  };
  const phases = new PhaseClock();
  let hub: HubProcess | undefined;
  let closeWorkers: () => Promise<void> = async () => {};
  try {
    hub = await startHubProcess(launch);
    await new Promise((r) => setTimeout(r, IDLE_SETTLE_MS));
    const rssFreshBytes = rssBytes(hub.pid);
    const trust = benchTrust(Math.min(40, Math.max(2, Math.ceil(n / 250))));
    await publishTrust(hub.url, trust.root, trust.keyring);

    const t0 = performance.now();
    phases.begin('approvals');
    const fleet = Array.from({ length: n }, (_, i) => ({
      name: agentName(i),
      key: agentKeyPair(i),
    }));
    await approveAgents(hub.url, trust.operators, fleet);
    const approvalsMs = performance.now() - t0;

    const rssIdleBytes = rssBytes(hub.pid);
    const heapIdleBytes = heapUsed(await hubMetrics(hub.url));
    const shares = shareOut(n, o.maxWorkers);
    phases.begin('connect+auth');
    const { pool, ready } = await startWorkers(
      'sim/agent-worker.ts',
      shares,
      (count, _i, offset) => {
        const start: StartMessage = {
          type: 'start',
          url: hub!.url,
          offset,
          count,
          pinnedRoot: trust.root,
          parallel: 32,
          reconnectMaxMs: 30_000,
        };
        return [JSON.stringify(start)];
      },
      BOUNDS.rampMs(n),
    );
    closeWorkers = () => pool.close();
    phases.end();
    const connectMs = connectWindowMs(ready);
    // let the hub settle (presence writes, GC) before reading memory
    await new Promise((r) => setTimeout(r, 1000));
    const rss = rssBytes(hub.pid);
    const heap = heapUsed(await hubMetrics(hub.url));

    const operator = await connectOperator(hub.url, trust.operators[0]!);
    const limitMs = BOUNDS.deployMs(n);
    const deploy = (selector: string, expected: number) =>
      timeDeploy(operator, trust.operators[0]!, hub!.pid, {
        app: BENCH_APP,
        selector,
        expected,
        limitMs,
      });
    const loadCpu = async () => {
      const { askAll } = await import('../common/workers.js');
      const stats = await askAll<{ cpuMs: number }>(pool, 'stats', 'stats');
      return stats.reduce((s, x) => s + x.cpuMs, 0);
    };

    // a warm-up deploy settles the JIT and the caches; at 10,000 it would cost minutes and change little
    const warmUp = n < 5000;
    const lag = probeLag(hub.url);
    const rounds = await runDeployRounds({
      n,
      rounds: o.rounds,
      warmUp,
      seedReceipts: o.seedReceipts,
      hubUrl: hub.url,
      flooder: pool.workers[0]!,
      phases,
      deploy,
      loadCpu,
    });
    const { fleetRuns, shardRuns, onePercentN, failure, fleetLag, flood } = rounds;
    let stored = rounds.stored;
    const worstHubLagMs = await lag.stop();
    const heads = failure
      ? undefined
      : await timeHeads(
          operator,
          Array.from({ length: n }, (_, i) => agentName(i)),
        );
    operator.close();

    const cpuFleet = summarize(fleetRuns.map((r) => r.hubCpuMs));
    const cpuShard = summarize(shardRuns.map((r) => r.hubCpuMs));
    const result: SimResult = {
      n,
      workers: shares.length,
      warmUp,
      ...(failure ? { failure } : {}),
      worstHubLagMs,
      ...(fleetLag ? { fleetLag } : {}),
      ...(flood ? { flood } : {}),
      ...(heads ? { heads } : {}),
      rssFreshBytes,
      approvalsMs,
      connectMs,
      connectionsPerSecond: n / (connectMs / 1000),
      acceptedMs: summarize(fleetRuns.map((r) => r.acceptedMs)),
      receiptsMs: summarize(fleetRuns.map((r) => r.receiptsMs)),
      hubCpuMsPerDeploy: cpuFleet,
      hubCpuUsPerReceipt: (cpuFleet.median * 1000) / n,
      loadGeneratorCpuMsPerDeploy: rounds.loadGeneratorCpuMsPerDeploy,
      onePercent: {
        n: onePercentN,
        receiptsMs: summarize(shardRuns.map((r) => r.receiptsMs)),
        hubCpuMsPerDeploy: cpuShard,
        cpuShareOfFleet: cpuShard.median / cpuFleet.median,
      },
      memory: {
        rssIdleBytes,
        rssBytes: rss,
        rssPerAgentBytes: (rss - rssIdleBytes) / n,
        heapIdleBytes,
        heapBytes: heap,
        heapPerAgentBytes: (heap - heapIdleBytes) / n,
      },
      ...(o.profileDir ? { profileDir: o.profileDir } : {}),
    };
    const firstHub = hub;
    if (o.storm && !failure) {
      const relaunch = {
        ...launch,
        ...(o.profileDir ? { cpuProfileDir: join(o.profileDir, `n${n}-hub2`) } : {}),
      };
      const storm = await reconnectStorm({
        hub,
        launch: relaunch,
        pool,
        n,
        operatorKey: trust.operators[0]!,
        phases,
      });
      hub = storm.hub;
      result.storm = storm.result;
      stored += storm.result.receiptsStored;
    }
    await closeWorkers();
    await hub.stop(BOUNDS.hubStopGraceMs(n));
    if (o.seedReceipts > 0 && !failure) {
      const { cpuProfileDir: _, ...alone } = launch;
      result.idleAfterReceipts = { receipts: stored, rssBytes: await idleHubRss(alone) };
    }
    if (o.profileDir) {
      result.profile = {
        ...phases.profile(join(o.profileDir, `n${n}-hub1`), firstHub.exitedAt(), [
          'approvals',
          'connect+auth',
          'fleet deploys',
          '1% deploys',
        ]),
        ...(result.storm
          ? phases.profile(join(o.profileDir, `n${n}-hub2`), hub.exitedAt(), ['reconnect storm'])
          : {}),
      };
    }
    return result;
  } finally {
    await closeWorkers();
    await hub?.stop();
    // the hub's error log outlives its temp dir: bench/results/hub-n<N>-<time>.log
    if (hub && existsSync(hub.logPath) && statSync(hub.logPath).size > 0) {
      mkdirSync(RESULTS_DIR, { recursive: true });
      copyFileSync(hub.logPath, join(RESULTS_DIR, `hub-n${n}-${Date.now()}.log`));
    }
    rmSync(workDir, { recursive: true, force: true });
  }
}
