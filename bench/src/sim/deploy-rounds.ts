import type { ChildProcess } from 'node:child_process';
import { type LagFigures, openLagWindow } from '../hub/lag-window.js';
import type { DeployTiming } from '../operator/time-deploy.js';
import { deployDuringFlood, type FloodResult } from './flood-run.js';
import { FLEET_SELECTOR, ONE_PERCENT_SELECTOR, SHARDS } from './identities.js';
import type { PhaseClock } from './phase-clock.js';
import { seedReceipts } from './stored-receipts.js';

export interface DeployRounds {
  fleetRuns: DeployTiming[];
  shardRuns: DeployTiming[];
  onePercentN: number;
  loadGeneratorCpuMsPerDeploy: number;
  /** the hub's event-loop lag over the measured fleet deploys */
  fleetLag?: LagFigures;
  flood?: FloodResult;
  /** receipts stored by every deploy that finished, warm-up and seeding included */
  stored: number;
  /** why the deploys stopped early, when they did (the figures before it stand) */
  failure?: string;
}

export interface DeployPlan {
  n: number;
  rounds: number;
  warmUp: boolean;
  seedReceipts: number;
  hubUrl: string;
  /** the worker whose first agent floods (shard 0: never in the 1% deploys) */
  flooder: ChildProcess;
  phases: PhaseClock;
  deploy(selector: string, expected: number): Promise<DeployTiming>;
  /** CPU ms of every load-generator process so far */
  loadCpu(): Promise<number>;
}

/** Warm-up, the measured fleet and 1% deploys, the flood, then the database seeded. */
export async function runDeployRounds(p: DeployPlan): Promise<DeployRounds> {
  const r: DeployRounds = {
    fleetRuns: [],
    shardRuns: [],
    onePercentN: Math.ceil(p.n / SHARDS),
    loadGeneratorCpuMsPerDeploy: Number.NaN,
    stored: 0,
  };
  const deploy = async (selector: string, expected: number) => {
    const timing = await p.deploy(selector, expected);
    r.stored += timing.targeted;
    return timing;
  };
  const fleet = () => deploy(FLEET_SELECTOR, p.n);
  const onePercent = () => deploy(ONE_PERCENT_SELECTOR, r.onePercentN);
  try {
    if (p.warmUp) await fleet();
    const load0 = await p.loadCpu();
    const lagWindow = await openLagWindow(p.hubUrl);
    p.phases.begin('fleet deploys');
    for (let i = 0; i < p.rounds; i++) r.fleetRuns.push(await fleet());
    p.phases.end();
    r.fleetLag = await lagWindow.close();
    r.loadGeneratorCpuMsPerDeploy = ((await p.loadCpu()) - load0) / p.rounds;
    p.phases.begin('1% deploys');
    for (let i = 0; i < p.rounds; i++) r.shardRuns.push(await onePercent());
    p.phases.end();
    r.flood = await deployDuringFlood(p.flooder, p.hubUrl, onePercent);
    r.stored = await seedReceipts(r.stored, p.seedReceipts, p.n, fleet);
  } catch (error) {
    // keep what was measured (ramp, memory, the deploys that finished) and say what broke
    p.phases.end();
    r.failure = error instanceof Error ? error.message : String(error);
  }
  return r;
}
