import { BOUNDS } from '../common/bounds.js';
import { rssBytes } from '../common/proc-stats.js';
import { sleep } from '../common/wait.js';
import { type HubLaunch, startHubProcess } from '../hub/hub-process.js';
import type { DeployTiming } from '../operator/time-deploy.js';

/** ms an idle hub is left alone before its RSS is read (startup garbage collected, caches warm) */
export const IDLE_SETTLE_MS = 3_000;

export interface IdleAfterReceipts {
  /** receipts stored and verified in the hub's database when it was restarted */
  receipts: number;
  rssBytes: number;
}

/**
 * Unmeasured fleet deploys through the real hub (signed requests, signed receipts
 * stored and verified) until `target` receipts are stored: the database an idle
 * hub must then hold. Bounded in deploys and time; returns the receipts stored.
 */
export async function seedReceipts(
  stored: number,
  target: number,
  n: number,
  deploy: () => Promise<DeployTiming>,
): Promise<number> {
  const maxDeploys = Math.min(BOUNDS.seedDeploys, Math.ceil(Math.max(0, target - stored) / n));
  const deadline = performance.now() + BOUNDS.seedMs;
  for (let i = 0; i < maxDeploys && stored < target && performance.now() < deadline; i++)
    stored += (await deploy()).targeted;
  return stored;
}

/** The hub alone on an existing data directory: started, left idle, its RSS read, stopped. */
export async function idleHubRss(launch: HubLaunch): Promise<number> {
  const hub = await startHubProcess(launch);
  try {
    await sleep(IDLE_SETTLE_MS);
    return rssBytes(hub.pid);
  } finally {
    await hub.stop();
  }
}
