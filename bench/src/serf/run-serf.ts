import { type Summary, summarize } from '../common/stats.js';
import { startSerfCluster } from './serf-cluster.js';
import { timeSerfQuery } from './serf-query.js';

export interface SerfResult {
  n: number;
  serfVersion: string;
  /** spawn of `serf query version` → last of the N response lines */
  queryMs: Summary;
  /** the query's "dispatched" line → last response line (excludes the CLI's start) */
  afterDispatchMs: Summary;
  clusterStartMs: number;
}

export const SERF_QUERY_LIMIT_MS = 10_000;

/** N serf agents; `rounds` queries of their version handler, each timed to the last response. */
export async function runSerf(n: number, rounds: number, version: string): Promise<SerfResult> {
  const t0 = performance.now();
  const cluster = await startSerfCluster(n, version);
  const clusterStartMs = performance.now() - t0;
  try {
    const total: number[] = [];
    const afterDispatch: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const t = await timeSerfQuery(cluster.rpcAddr, n, SERF_QUERY_LIMIT_MS);
      total.push(t.totalMs);
      afterDispatch.push(t.afterDispatchMs);
    }
    return {
      n,
      serfVersion: cluster.version,
      queryMs: summarize(total),
      afterDispatchMs: summarize(afterDispatch),
      clusterStartMs,
    };
  } finally {
    await cluster.close();
  }
}
