import type { RolloutView } from '@serfbort/core';
import { inArray } from 'drizzle-orm';
import type { Db } from '../db/open.js';
import { deploymentHosts, deployments } from '../db/schema.js';

/** A rollout's hosts by outcome as this hub recorded them (it verified each receipt it stored). */
export interface RolloutHostSummary {
  expected: string[];
  succeeded: string[];
  failed: string[];
  rejected: string[];
  silent: string[];
  offlinePending: string[];
  running: string[];
  notReleased: string[];
}

const CATEGORY: Record<string, keyof RolloutHostSummary> = {
  succeeded: 'succeeded',
  failed: 'failed',
  'timed-out': 'failed',
  interrupted: 'failed',
  rejected: 'rejected',
  pending: 'offlinePending',
  // only undelivered hosts expire: the host was offline until the step's deadline
  expired: 'offlinePending',
};

/**
 * For the read-only API and people: every category names its hosts. Clients that act on a
 * rollout (resume, rollback) judge the signed receipts themselves instead.
 */
export async function rolloutHostSummary(
  db: Db,
  view: RolloutView,
  now: number,
): Promise<RolloutHostSummary> {
  const summary: RolloutHostSummary = {
    expected: view.steps.flatMap((s) => s.hosts).sort(),
    succeeded: [],
    failed: [],
    rejected: [],
    silent: [],
    offlinePending: [],
    running: [],
    notReleased: view.steps.filter((s) => !s.requestId).flatMap((s) => s.hosts),
  };
  const ids = view.steps.flatMap((s) => (s.requestId ? [s.requestId] : []));
  if (ids.length > 0) {
    const expiry = new Map(
      (
        await db
          .select({ id: deployments.requestId, expiresAt: deployments.expiresAt })
          .from(deployments)
          .where(inArray(deployments.requestId, ids))
      ).map((d) => [d.id, d.expiresAt]),
    );
    const rows = await db
      .select({
        requestId: deploymentHosts.requestId,
        host: deploymentHosts.host,
        state: deploymentHosts.state,
      })
      .from(deploymentHosts)
      .where(inArray(deploymentHosts.requestId, ids));
    for (const r of rows) {
      const past = (expiry.get(r.requestId) ?? 0) <= now;
      const category = CATEGORY[r.state] ?? (past ? 'silent' : 'running');
      summary[category].push(r.host);
    }
  }
  for (const list of Object.values(summary)) list.sort();
  return summary;
}
