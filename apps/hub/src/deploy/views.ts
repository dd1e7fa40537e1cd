import type { DeploymentSummary, DeploymentView, HostProgress, HostState } from '@serfbort/core';
import { and, asc, desc, eq, inArray, lt, sql } from 'drizzle-orm';
import type { Db } from '../db/open.js';
import { deploymentHosts, deployments } from '../db/schema.js';

type DeploymentRow = typeof deployments.$inferSelect;
type HostRow = typeof deploymentHosts.$inferSelect;

export function hostProgress(row: HostRow): HostProgress {
  return {
    host: row.host,
    state: row.state as HostState,
    ...(row.reason !== null ? { reason: row.reason } : {}),
    exitCode: row.exitCode,
    versionBefore: row.versionBefore,
    versionAfter: row.versionAfter,
    updatedAt: row.updatedAt,
    ...(row.receipt ? { receipt: row.receipt } : {}),
    ...(row.output.length > 0 ? { output: row.output } : {}),
  };
}

export function deploymentView(d: DeploymentRow, hosts: HostRow[]): DeploymentView {
  return {
    requestId: d.requestId,
    app: d.app,
    version: d.version,
    target: d.target,
    signers: d.signers,
    signerNames: d.signerNames,
    issuedAt: d.issuedAt,
    expiresAt: d.expiresAt,
    submittedAt: d.submittedAt,
    ...(d.rolloutId !== null ? { rolloutId: d.rolloutId } : {}),
    envelope: d.envelope,
    hosts: hosts.map(hostProgress),
  };
}

export async function loadDeployment(
  db: Db,
  requestId: string,
): Promise<DeploymentView | undefined> {
  const [d] = await db.select().from(deployments).where(eq(deployments.requestId, requestId));
  if (!d) return undefined;
  const hosts = await db
    .select()
    .from(deploymentHosts)
    .where(eq(deploymentHosts.requestId, requestId))
    .orderBy(asc(deploymentHosts.host));
  return deploymentView(d, hosts);
}

export async function listDeployments(
  db: Db,
  q: { limit?: number; app?: string; before?: number },
): Promise<DeploymentSummary[]> {
  const limit = Math.min(Math.max(q.limit ?? 50, 1), 500);
  const filters = [
    q.app !== undefined ? eq(deployments.app, q.app) : undefined,
    q.before !== undefined ? lt(deployments.submittedAt, q.before) : undefined,
  ].filter((f) => f !== undefined);
  const rows = await db
    .select()
    .from(deployments)
    .where(filters.length > 0 ? and(...filters) : undefined)
    .orderBy(desc(deployments.submittedAt))
    .limit(limit);
  if (rows.length === 0) return [];
  const counts = await db
    .select({
      requestId: deploymentHosts.requestId,
      state: deploymentHosts.state,
      n: sql<number>`count(*)::int`,
      superseded: sql<number>`count(*) filter (where ${deploymentHosts.reason} = 'SUPERSEDED')::int`,
    })
    .from(deploymentHosts)
    .where(
      inArray(
        deploymentHosts.requestId,
        rows.map((r) => r.requestId),
      ),
    )
    .groupBy(deploymentHosts.requestId, deploymentHosts.state);
  return rows.map((d) => ({
    requestId: d.requestId,
    app: d.app,
    version: d.version,
    target: d.target,
    signerNames: d.signerNames,
    submittedAt: d.submittedAt,
    expiresAt: d.expiresAt,
    ...(d.rolloutId !== null ? { rolloutId: d.rolloutId } : {}),
    counts: Object.fromEntries(
      counts.filter((c) => c.requestId === d.requestId).map((c) => [c.state, Number(c.n)]),
    ),
    ...supersededOf(counts, d.requestId),
  }));
}

/** Requests a newer one replaced are counted `expired` by state; say how many did not lapse. */
function supersededOf(
  counts: readonly { requestId: string; superseded: number }[],
  requestId: string,
): { superseded?: number } {
  const n = counts
    .filter((c) => c.requestId === requestId)
    .reduce((t, c) => t + Number(c.superseded), 0);
  return n > 0 ? { superseded: n } : {};
}
