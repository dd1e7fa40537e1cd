import type { DeploymentStats, HostView } from '@serfbort/core';
import { describe, expect, it } from 'vitest';
import { percent, seriesByApp, versionsByApp } from './series';

describe('seriesByApp', () => {
  const stats: DeploymentStats = {
    from: '2026-11-01',
    to: '2026-11-03',
    truncated: false,
    days: [
      {
        app: 'web',
        day: '2026-11-01',
        deploys: 3,
        failed: 1,
        succeeded: 1,
        failureRate: 0.5,
        durationP50: 1_234,
        durationP95: 9_000,
      },
      {
        app: 'api',
        day: '2026-11-03',
        deploys: 1,
        failed: 0,
        succeeded: 1,
        failureRate: 0,
        durationP50: 500,
        durationP95: 500,
      },
      {
        app: 'web',
        day: '2026-11-03',
        deploys: 2,
        failed: 0,
        succeeded: 2,
        failureRate: 0,
        durationP50: null,
        durationP95: null,
      },
    ],
  };

  it('fills quiet days and sums the range per app', () => {
    const [api, web] = seriesByApp(stats);
    expect(api!.app).toBe('api');
    expect(web!.points.map((p) => [p.day, p.deploys, p.failurePct, p.p50])).toEqual([
      ['2026-11-01', 3, 50, 1.2],
      ['2026-11-02', 0, null, null],
      ['2026-11-03', 2, 0, null],
    ]);
    // 1 failed of 4 judged; the day-one deploy that neither failed nor succeeded is not judged
    expect(web).toMatchObject({ deploys: 5, failed: 1 });
    expect(percent(web!.failureRate)).toBe('25%');
    expect(percent(null)).toBe('—');
  });
});

describe('versionsByApp', () => {
  const host = (name: string, state: HostView['state'], apps: Record<string, string | null>) =>
    ({
      name,
      state,
      apps: Object.fromEntries(Object.entries(apps).map(([a, version]) => [a, { version, at: 0 }])),
    }) as HostView;

  it('counts hosts per version, most-run first, failed reports as unknown', () => {
    const v = versionsByApp([
      host('a', 'online', { web: 'v2', api: 'v1' }),
      host('b', 'lost', { web: 'v1' }),
      host('c', 'online', { web: 'v2' }),
      host('d', 'online', { web: null }),
    ]);
    expect([...v.keys()]).toEqual(['api', 'web']);
    expect(v.get('web')).toEqual([
      { version: 'v2', hosts: 2, online: 2 },
      { version: 'unknown', hosts: 1, online: 1 },
      { version: 'v1', hosts: 1, online: 0 },
    ]);
  });
});
