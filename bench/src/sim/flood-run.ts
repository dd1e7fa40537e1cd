import type { ChildProcess } from 'node:child_process';
import { type Summary, summarize } from '../common/stats.js';
import { nextMessage, sleep } from '../common/wait.js';
import { type LagFigures, openLagWindow } from '../hub/lag-window.js';
import type { DeployTiming } from '../operator/time-deploy.js';
import type { FloodCounts } from './presence-flood.js';

export interface FloodResult {
  ms: number;
  counts: FloodCounts;
  lag: LagFigures;
  /** deploys to other agents timed while the flood ran */
  deployMs: Summary;
}

export const FLOOD_MS = 5_000;
/** deploys timed during one flood, at most */
const MAX_DEPLOYS = 20;

const isDone = (m: unknown): m is FloodCounts => (m as { type?: string })?.type === 'flood-done';

/**
 * One agent of `worker` floods the hub with presence reports for FLOOD_MS while
 * `deploy` (to agents other than the flooder) is timed again and again; the hub's
 * event-loop lag is read over the same window.
 */
export async function deployDuringFlood(
  worker: ChildProcess,
  url: string,
  deploy: () => Promise<DeployTiming>,
): Promise<FloodResult> {
  const window = await openLagWindow(url);
  const done = nextMessage(worker, isDone, FLOOD_MS + 40_000, 'the presence flood');
  // a deploy that fails below leaves this unawaited: its timeout must not crash the run
  done.catch(() => undefined);
  const t0 = performance.now();
  worker.send({ type: 'flood', ms: FLOOD_MS });
  // let the flood reach the hub before the first deploy
  await sleep(250);
  const times: number[] = [];
  while (performance.now() - t0 < FLOOD_MS - 250 && times.length < MAX_DEPLOYS)
    times.push((await deploy()).receiptsMs);
  const counts = await done;
  const ms = performance.now() - t0;
  return { ms, counts, lag: await window.close(), deployMs: summarize(times) };
}
