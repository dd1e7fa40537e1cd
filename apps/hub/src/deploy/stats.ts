import type { DeploymentDayStats, DeploymentStats, DeploymentStatsQuery } from '@serfbort/core';
import { HISTORY_LIMITS, statsRange, utcDay } from '@serfbort/core';
import { sql } from 'drizzle-orm';
import type { Db } from '../db/open.js';
import { deploymentHosts, deployments } from '../db/schema.js';
import { lastReceiptSql, outcomeSql } from './history-sql.js';

const DAY_MS = 86_400_000;

interface Row {
  app: string;
  day: number;
  deploys: number;
  failed: number;
  succeeded: number;
  p50: number | null;
  p95: number | null;
}

/**
 * Per app per UTC day: deploys, failures and duration percentiles, aggregated in the
 * database over a bounded range (core's deploy-history.ts defines each figure). Both
 * drivers answer numbers here because every column is cast to int or float8.
 */
export async function deploymentStats(
  db: Db,
  q: DeploymentStatsQuery,
  now: number,
): Promise<DeploymentStats> {
  const range = statsRange(q, now);
  const result = (await db.execute(sql`
    with d as (
      select d.app,
        (d.submitted_at / ${DAY_MS})::int as day,
        o.outcome,
        case when o.outcome <> 'running' then o.last_receipt - d.submitted_at end as duration
      from ${deployments} d
      cross join lateral (
        select ${outcomeSql} as outcome, ${lastReceiptSql} as last_receipt
        from ${deploymentHosts} h where h.request_id = d.request_id
      ) o
      where d.submitted_at >= ${range.from} and d.submitted_at < ${range.to}
        ${q.app !== undefined ? sql`and d.app = ${q.app}` : sql``}
    )
    select app, day,
      count(*)::int as deploys,
      (count(*) filter (where outcome = 'failed'))::int as failed,
      (count(*) filter (where outcome = 'succeeded'))::int as succeeded,
      (percentile_cont(0.5) within group (order by duration))::float8 as p50,
      (percentile_cont(0.95) within group (order by duration))::float8 as p95
    from d
    group by app, day
    order by app, day
    limit ${HISTORY_LIMITS.statsRows + 1}
  `)) as unknown as { rows: Row[] };
  const rows = result.rows;
  const truncated = rows.length > HISTORY_LIMITS.statsRows;
  return {
    from: utcDay(range.from),
    to: utcDay(range.to - 1),
    days: rows.slice(0, HISTORY_LIMITS.statsRows).map(dayStats),
    truncated,
  };
}

function dayStats(r: Row): DeploymentDayStats {
  const judged = Number(r.failed) + Number(r.succeeded);
  const ms = (v: number | null) => (v === null ? null : Math.round(Number(v)));
  return {
    app: r.app,
    day: utcDay(Number(r.day) * DAY_MS),
    deploys: Number(r.deploys),
    failed: Number(r.failed),
    succeeded: Number(r.succeeded),
    failureRate: judged > 0 ? Number(r.failed) / judged : null,
    durationP50: ms(r.p50),
    durationP95: ms(r.p95),
  };
}
