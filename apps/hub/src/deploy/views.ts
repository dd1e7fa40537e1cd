import type {
  DeploymentListQuery,
  DeploymentOutcome,
  DeploymentSummary,
  DeploymentView,
  HostProgress,
  HostState,
} from '@serfbort/core';
import { HISTORY_LIMITS, parseCursor, SUPERSEDED_REASON } from '@serfbort/core';
import { and, asc, desc, eq, gte, inArray, lt, sql } from 'drizzle-orm';
import type { Db } from '../db/open.js';
import { deploymentHosts, deployments } from '../db/schema.js';
import { outcomeSql } from './history-sql.js';

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

/**
 * One page of deployments, newest first, filtered in the database (see core's
 * deploy-history.ts for what an outcome is). Ties on the submit time are broken by
 * request id so a cursor never skips or repeats a row.
 */
export async function listDeployments(
  db: Db,
  q: DeploymentListQuery,
): Promise<DeploymentSummary[]> {
  const limit = Math.min(
    Math.max(q.limit ?? HISTORY_LIMITS.defaultPageRows, 1),
    HISTORY_LIMITS.pageRows,
  );
  // spelled out: drizzle leaves columns unqualified in a select list, where `request_id`
  // would mean the subquery's own column
  const outcome = sql<DeploymentOutcome>`(select ${outcomeSql} from ${deploymentHosts} h
    where h.request_id = "deployments"."request_id")`;
  const after = q.cursor !== undefined ? parseCursor(q.cursor) : undefined;
  const needle = q.search?.toLowerCase();
  const filters = [
    q.app !== undefined ? eq(deployments.app, q.app) : undefined,
    q.before !== undefined ? lt(deployments.submittedAt, q.before) : undefined,
    q.from !== undefined ? gte(deployments.submittedAt, q.from) : undefined,
    q.to !== undefined ? lt(deployments.submittedAt, q.to) : undefined,
    after
      ? sql`(${deployments.submittedAt}, ${deployments.requestId}) < (${after.submittedAt}, ${after.requestId})`
      : undefined,
    q.host !== undefined
      ? sql`exists (select 1 from ${deploymentHosts} x
          where x.request_id = "deployments"."request_id" and x.host = ${q.host})`
      : undefined,
    needle !== undefined
      ? sql`(strpos(lower(${deployments.app}), ${needle}) > 0
          or strpos(lower(${deployments.version}), ${needle}) > 0
          or exists (select 1 from jsonb_array_elements_text(${deployments.signerNames}) n
            where strpos(lower(n), ${needle}) > 0))`
      : undefined,
    q.outcome !== undefined ? sql`${outcome} = ${q.outcome}` : undefined,
  ].filter((f) => f !== undefined);
  const rows = await db
    .select({ d: deployments, outcome })
    .from(deployments)
    .where(filters.length > 0 ? and(...filters) : undefined)
    .orderBy(desc(deployments.submittedAt), desc(deployments.requestId))
    .limit(limit);
  if (rows.length === 0) return [];
  const counts = await db
    .select({
      requestId: deploymentHosts.requestId,
      state: deploymentHosts.state,
      n: sql<number>`count(*)::int`,
      superseded: sql<number>`count(*) filter (where ${deploymentHosts.reason} = ${SUPERSEDED_REASON})::int`,
    })
    .from(deploymentHosts)
    .where(
      inArray(
        deploymentHosts.requestId,
        rows.map((r) => r.d.requestId),
      ),
    )
    .groupBy(deploymentHosts.requestId, deploymentHosts.state);
  return rows.map(({ d, outcome }) => ({
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
    outcome,
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
