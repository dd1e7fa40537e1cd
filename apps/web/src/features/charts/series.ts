import type { DeploymentDayStats, DeploymentStats, HostView } from '@serfbort/core';
import { daysOf } from '@serfbort/core';

const DAY_MS = 86_400_000;

/** One day of one app, quiet days included (as zero) so the charts keep their time axis. */
export interface DayPoint {
  day: string;
  deploys: number;
  failed: number;
  succeeded: number;
  /** percent, or null when nothing was judged that day */
  failurePct: number | null;
  /** seconds */
  p50: number | null;
  p95: number | null;
}

export interface AppSeries {
  app: string;
  points: DayPoint[];
  deploys: number;
  failed: number;
  /** failed / (failed + succeeded) over the whole range; null when nothing was judged */
  failureRate: number | null;
}

/** The days of the hub's answer (from and to are both included there). */
const everyDay = (from: string, to: string) =>
  daysOf({ from: Date.parse(`${from}T00:00:00Z`), to: Date.parse(`${to}T00:00:00Z`) + DAY_MS });

const seconds = (ms: number | null) => (ms === null ? null : Math.round(ms / 100) / 10);

/** The hub's per-(app, day) rows as one series per app, apps by name. */
export function seriesByApp(stats: DeploymentStats): AppSeries[] {
  const days = everyDay(stats.from, stats.to);
  const byApp = new Map<string, Map<string, DeploymentDayStats>>();
  for (const d of stats.days) {
    const m = byApp.get(d.app) ?? new Map<string, DeploymentDayStats>();
    m.set(d.day, d);
    byApp.set(d.app, m);
  }
  return [...byApp.keys()].sort().map((app) => {
    const rows = byApp.get(app)!;
    const points = days.map((day): DayPoint => {
      const r = rows.get(day);
      return {
        day,
        deploys: r?.deploys ?? 0,
        failed: r?.failed ?? 0,
        succeeded: r?.succeeded ?? 0,
        failurePct: r?.failureRate == null ? null : Math.round(r.failureRate * 1000) / 10,
        p50: seconds(r?.durationP50 ?? null),
        p95: seconds(r?.durationP95 ?? null),
      };
    });
    const sum = (k: 'deploys' | 'failed' | 'succeeded') => points.reduce((t, p) => t + p[k], 0);
    const judged = sum('failed') + sum('succeeded');
    return {
      app,
      points,
      deploys: sum('deploys'),
      failed: sum('failed'),
      failureRate: judged > 0 ? sum('failed') / judged : null,
    };
  });
}

export interface VersionCount {
  version: string;
  hosts: number;
  online: number;
}

/**
 * How many hosts run which version of each app, as each host last reported it; a host
 * whose version command failed counts as "unknown". Most-run version first.
 */
export function versionsByApp(hosts: readonly HostView[]): Map<string, VersionCount[]> {
  const counts = new Map<string, Map<string, VersionCount>>();
  for (const h of hosts) {
    for (const [app, v] of Object.entries(h.apps)) {
      const version = v.version ?? 'unknown';
      const m = counts.get(app) ?? new Map<string, VersionCount>();
      const c = m.get(version) ?? { version, hosts: 0, online: 0 };
      c.hosts++;
      if (h.state === 'online') c.online++;
      m.set(version, c);
      counts.set(app, m);
    }
  }
  return new Map(
    [...counts.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([app, m]) => [
        app,
        [...m.values()].sort((a, b) => b.hosts - a.hosts || a.version.localeCompare(b.version)),
      ]),
  );
}

export const percent = (rate: number | null) =>
  rate === null ? '—' : `${Math.round(rate * 1000) / 10}%`;
