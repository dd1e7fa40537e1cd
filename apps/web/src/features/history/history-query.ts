import {
  DEPLOYMENT_OUTCOMES,
  type DeploymentListQuery,
  type DeploymentOutcome,
  deploymentListQuerySchema,
} from '@serfbort/core';

/*
 * The history page's filters as they stand in its URL (`?app=web&status=failed&host=h1
 * &q=text&range=7d`), read with core's own field rules: a value the hub would refuse is
 * dropped here and named, so a hand-edited link still shows something.
 */
export const RANGES = ['24h', '7d', '30d', '90d'] as const;
export type Range = (typeof RANGES)[number];
const RANGE_MS: Record<Range, number> = {
  '24h': 86_400_000,
  '7d': 7 * 86_400_000,
  '30d': 30 * 86_400_000,
  '90d': 90 * 86_400_000,
};

export interface HistoryFilters {
  app?: string;
  status?: DeploymentOutcome;
  host?: string;
  q?: string;
  range?: Range;
}

const fields = deploymentListQuerySchema.shape;

export function readFilters(params: URLSearchParams): {
  filters: HistoryFilters;
  ignored: string[];
} {
  const filters: HistoryFilters = {};
  const ignored: string[] = [];
  const take = <K extends keyof HistoryFilters>(
    key: K,
    ok: (v: string) => HistoryFilters[K] | undefined,
  ) => {
    const raw = params.get(key);
    if (raw === null || raw === '') return;
    const value = ok(raw);
    if (value === undefined) ignored.push(key);
    else filters[key] = value;
  };
  take('app', (v) => (fields.app.safeParse(v).success ? v : undefined));
  take('status', (v) =>
    (DEPLOYMENT_OUTCOMES as readonly string[]).includes(v) ? (v as DeploymentOutcome) : undefined,
  );
  take('host', (v) => (fields.host.safeParse(v).success ? v : undefined));
  take('q', (v) => (fields.search.safeParse(v).success ? v : undefined));
  take('range', (v) => ((RANGES as readonly string[]).includes(v) ? (v as Range) : undefined));
  return { filters, ignored };
}

/** The hub query for these filters; `now` anchors the time range. */
export function toListQuery(f: HistoryFilters, now: number): DeploymentListQuery {
  return {
    ...(f.app ? { app: f.app } : {}),
    ...(f.status ? { outcome: f.status } : {}),
    ...(f.host ? { host: f.host } : {}),
    ...(f.q ? { search: f.q } : {}),
    ...(f.range ? { from: now - RANGE_MS[f.range] } : {}),
  };
}

/** A stable key: the list reloads from its first page when it changes. */
export const filtersKey = (f: HistoryFilters) =>
  [f.app, f.status, f.host, f.q, f.range].map((v) => v ?? '').join('|');
