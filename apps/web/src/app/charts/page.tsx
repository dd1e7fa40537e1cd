'use client';
import { Suspense } from 'react';
import { Empty, Page, RequireReader } from '@/components/shell/page';
import { Alert } from '@/components/ui/alert';
import { Select } from '@/components/ui/input';
import { Segmented } from '@/components/ui/segmented';
import { AppCharts } from '@/features/charts/app-charts';
import { seriesByApp } from '@/features/charts/series';
import { useStats } from '@/features/charts/use-stats';
import { VersionsView } from '@/features/charts/versions-view';
import { useFleet } from '@/features/fleet/fleet-context';
import { useQueryState } from '@/lib/use-query-state';

const DAYS = ['7', '30', '90'] as const;
type Days = (typeof DAYS)[number];

export default function ChartsPage() {
  return (
    <Page
      title="Charts"
      description="Deploys, failure rate and duration per app per day (UTC), as the hub counts them, and the versions the fleet runs."
    >
      <RequireReader what="the charts">
        <Suspense>
          <Charts />
        </Suspense>
      </RequireReader>
    </Page>
  );
}

function Charts() {
  const { params, set } = useQueryState();
  const days: Days = (DAYS as readonly string[]).includes(params.get('days') ?? '')
    ? (params.get('days') as Days)
    : '30';
  const app = params.get('app') || undefined;
  const { stats, error } = useStats(Number(days), app);
  const fleet = useFleet();
  const series = stats ? seriesByApp(stats) : [];
  const apps = new Set<string>(series.map((s) => s.app));
  for (const h of fleet.hosts) for (const a of Object.keys(h.apps)) apps.add(a);
  if (app) apps.add(app);

  return (
    <>
      <div className="flex flex-wrap items-center gap-2" data-testid="charts-filters">
        <Select
          className="w-44"
          value={app ?? ''}
          onChange={(e) => set({ app: e.target.value })}
          aria-label="App"
        >
          <option value="">Every app</option>
          {[...apps].sort().map((a) => (
            <option key={a} value={a}>
              {a}
            </option>
          ))}
        </Select>
        <Segmented<Days>
          label="Days"
          value={days}
          onChange={(d) => set({ days: d === '30' ? undefined : d })}
          options={DAYS.map((d) => ({ value: d, label: `${d} days` }))}
        />
      </div>
      {error ? (
        <Alert tone="bad" title="The hub did not send the figures">
          {error}
        </Alert>
      ) : null}
      {stats?.truncated ? (
        <Alert tone="warn" title="More figures than one answer holds">
          Pick one app or fewer days to see them all.
        </Alert>
      ) : null}
      <div className="grid gap-4" data-testid="charts" data-loaded={stats ? 'true' : 'false'}>
        {stats && series.length === 0 ? (
          <Empty>
            No deployments in the last {days} days{app ? ` for ${app}` : ''}.
          </Empty>
        ) : null}
        {series.map((s) => (
          <AppCharts key={s.app} series={s} />
        ))}
      </div>
      <h2 className="mt-2 text-base font-semibold">Versions in the fleet</h2>
      <VersionsView {...(app ? { app } : {})} />
    </>
  );
}
