import { z } from 'zod';
import { appName, hostName, timestamp } from '../schemas/primitives.js';
import type { HostState } from './views.js';

/*
 * What the history and charts count, defined once for the hub's SQL and every client.
 *
 * A deployment's outcome, from its hosts' states:
 * - `running` while any host has not reached a final state;
 * - `failed` when any host failed, was rejected, timed out, was interrupted, or let
 *   the request expire (a request a newer one superseded did not lapse: not a failure);
 * - `succeeded` when at least one host succeeded and none failed;
 * - `superseded` when every host was superseded before running it.
 *
 * A deployment's duration is from the hub storing the submitted request to the hub
 * storing its last host receipt (both on the hub's clock), counted only once the
 * deployment is no longer running and has at least one receipt.
 */
export const DEPLOYMENT_OUTCOMES = ['running', 'succeeded', 'failed', 'superseded'] as const;
export type DeploymentOutcome = (typeof DEPLOYMENT_OUTCOMES)[number];

export const BUSY_HOST_STATES: readonly HostState[] = [
  'pending',
  'delivered',
  'accepted',
  'running',
];
export const FAILED_HOST_STATES: readonly HostState[] = [
  'failed',
  'rejected',
  'timed-out',
  'interrupted',
];
/** the `reason` an expired host carries when a newer request replaced this one */
export const SUPERSEDED_REASON = 'SUPERSEDED';

export const HISTORY_LIMITS = {
  /** rows of one page of deployments when the query does not say */
  defaultPageRows: 50,
  /** rows of one page of deployments */
  pageRows: 500,
  /** days one stats query may span */
  statsDays: 366,
  /** (app, day) rows one stats answer may hold */
  statsRows: 5_000,
  /** characters of a text search */
  searchChars: 100,
} as const;

const DAY_MS = 86_400_000;

/** An opaque place in the newest-first list: the last row's submit time and id. */
export const deploymentCursor = z
  .string()
  .max(100)
  .regex(/^\d{1,16}\.[A-Za-z0-9_-]{8,64}$/, 'a cursor is what the previous page ended with');

export function cursorOf(d: { submittedAt: number; requestId: string }): string {
  return `${d.submittedAt}.${d.requestId}`;
}

export function parseCursor(cursor: string): { submittedAt: number; requestId: string } {
  const dot = cursor.indexOf('.');
  return { submittedAt: Number(cursor.slice(0, dot)), requestId: cursor.slice(dot + 1) };
}

/** The next page's cursor, or undefined when this page was the last (it was not full). */
export function nextCursor(
  page: readonly { submittedAt: number; requestId: string }[],
  limit: number,
): string | undefined {
  const last = page.at(-1);
  return page.length >= limit && last ? cursorOf(last) : undefined;
}

/**
 * `deploy:list`. Every field is optional, so an older client's `{ limit, app, before }`
 * means what it always meant. Filters combine with AND.
 */
export const deploymentListQuerySchema = z.strictObject({
  limit: z.number().int().min(1).max(HISTORY_LIMITS.pageRows).optional(),
  app: appName.optional(),
  /** submitted strictly before this time (older clients' paging) */
  before: z.number().int().min(0).optional(),
  outcome: z.enum(DEPLOYMENT_OUTCOMES).optional(),
  /** deployments that targeted this host */
  host: hostName.optional(),
  /** a case-insensitive substring of the app, the version or a signer's name */
  search: z.string().min(1).max(HISTORY_LIMITS.searchChars).optional(),
  /** submitted at or after */
  from: timestamp.optional(),
  /** submitted before */
  to: timestamp.optional(),
  /** continue after the row this cursor names (see `nextCursor`) */
  cursor: deploymentCursor.optional(),
});
export type DeploymentListQuery = z.infer<typeof deploymentListQuerySchema>;

/** `deploy:stats`: per app per UTC day, over whole days ending with the one `to` falls in. */
export const deploymentStatsQuerySchema = z.strictObject({
  app: appName.optional(),
  /** how many days back, today included (default 30) */
  days: z.number().int().min(1).max(HISTORY_LIMITS.statsDays).optional(),
  /** the end of the range (default now) */
  to: timestamp.optional(),
});
export type DeploymentStatsQuery = z.infer<typeof deploymentStatsQuerySchema>;

export interface DeploymentDayStats {
  app: string;
  /** the UTC day, YYYY-MM-DD */
  day: string;
  deploys: number;
  failed: number;
  succeeded: number;
  /** failed / (failed + succeeded): running and superseded ones are not judged; null when none is */
  failureRate: number | null;
  /** milliseconds; null when no deployment of that day has a duration yet */
  durationP50: number | null;
  durationP95: number | null;
}

export interface DeploymentStats {
  /** the first and last day covered, YYYY-MM-DD */
  from: string;
  to: string;
  /** days with at least one deployment, by app then day */
  days: DeploymentDayStats[];
  /** true when more (app, day) rows matched than one answer holds */
  truncated: boolean;
}

export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The range a stats query covers: `days` whole UTC days, the last one holding `to`. */
export function statsRange(q: DeploymentStatsQuery, now: number): { from: number; to: number } {
  const end = Math.floor((q.to ?? now) / DAY_MS) * DAY_MS + DAY_MS;
  return { from: end - (q.days ?? 30) * DAY_MS, to: end };
}

/**
 * Every day of a range in order, so a chart shows quiet days as zero; at most the days
 * one stats query may span (a range from a hub's answer cannot make a client loop long).
 */
export function daysOf(range: { from: number; to: number }): string[] {
  const out: string[] = [];
  for (let t = range.from; t < range.to && out.length < HISTORY_LIMITS.statsDays; t += DAY_MS)
    out.push(utcDay(t));
  return out;
}
