'use client';
import type { ReactElement } from 'react';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { type AppSeries, percent } from './series';

/*
 * Three charts of one app over the chosen days, each with the same figures as a table
 * below it (screen readers, copying, and tests read the table; the SVG is for eyes).
 * Colours are the theme's variables, so the dark theme needs nothing more.
 */
const AXIS = { stroke: 'var(--muted-foreground)', fontSize: 11 };
const TOOLTIP = {
  contentStyle: {
    background: 'var(--card)',
    border: '1px solid var(--border)',
    borderRadius: 6,
    fontSize: 12,
  },
};
const shortDay = (day: string) => day.slice(5);

function ChartBox({
  title,
  label,
  children,
}: {
  title: string;
  label: string;
  children: ReactElement;
}) {
  return (
    <figure className="grid gap-1.5 rounded-md border p-3" aria-label={label}>
      <figcaption className="text-[13px] font-medium">{title}</figcaption>
      <div className="h-44" aria-hidden="true">
        <ResponsiveContainer
          width="100%"
          height="100%"
          initialDimension={{ width: 320, height: 176 }}
        >
          {children}
        </ResponsiveContainer>
      </div>
    </figure>
  );
}

export function AppCharts({ series }: { series: AppSeries }) {
  const { app, points } = series;
  const failedWord = series.failed === 1 ? 'failure' : 'failures';
  return (
    <section
      className="grid gap-3 rounded-lg border bg-card p-4"
      aria-labelledby={`charts-${app}`}
      data-testid="app-charts"
      data-app={app}
      data-deploys={series.deploys}
      data-failed={series.failed}
      data-failure-rate={series.failureRate ?? ''}
    >
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id={`charts-${app}`} className="text-base font-semibold">
          {app}
        </h2>
        <p className="text-[13px] text-muted-foreground" data-testid="app-summary">
          {series.deploys} {series.deploys === 1 ? 'deploy' : 'deploys'} · {series.failed}{' '}
          {failedWord} · failure rate {percent(series.failureRate)}
        </p>
      </div>
      <div className="grid gap-3 lg:grid-cols-3">
        <ChartBox title="Deploys per day" label={`${app}: deploys per day, failed ones in red`}>
          <BarChart data={points}>
            <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" vertical={false} />
            <XAxis dataKey="day" tickFormatter={shortDay} {...AXIS} />
            <YAxis allowDecimals={false} width={28} {...AXIS} />
            <Tooltip {...TOOLTIP} cursor={{ fill: 'var(--accent)' }} />
            <Legend wrapperStyle={{ fontSize: 11 }} />
            <Bar dataKey="succeeded" name="succeeded" stackId="d" fill="var(--ok)" />
            <Bar dataKey="failed" name="failed" stackId="d" fill="var(--bad)" />
          </BarChart>
        </ChartBox>
        <ChartBox title="Failure rate (%)" label={`${app}: failure rate per day`}>
          <LineChart data={points}>
            <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" vertical={false} />
            <XAxis dataKey="day" tickFormatter={shortDay} {...AXIS} />
            <YAxis domain={[0, 100]} width={32} {...AXIS} />
            <Tooltip {...TOOLTIP} />
            <Line dataKey="failurePct" name="failure rate %" stroke="var(--bad)" connectNulls dot />
          </LineChart>
        </ChartBox>
        <ChartBox title="Duration (s), p50 and p95" label={`${app}: deploy duration per day`}>
          <LineChart data={points}>
            <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" vertical={false} />
            <XAxis dataKey="day" tickFormatter={shortDay} {...AXIS} />
            <YAxis width={36} {...AXIS} />
            <Tooltip {...TOOLTIP} />
            <Legend wrapperStyle={{ fontSize: 11 }} />
            <Line dataKey="p50" name="p50" stroke="var(--info)" connectNulls dot />
            <Line dataKey="p95" name="p95" stroke="var(--warn)" connectNulls dot />
          </LineChart>
        </ChartBox>
      </div>
      <details className="text-[13px]">
        <summary className="cursor-pointer text-muted-foreground">The figures as a table</summary>
        <table className="mt-2 w-full text-right tabular-nums" data-testid="stats-table">
          <caption className="sr-only">{app}: deploys, failures and durations per day</caption>
          <thead className="text-xs text-muted-foreground">
            <tr>
              <th className="text-left font-medium" scope="col">
                Day (UTC)
              </th>
              <th className="font-medium" scope="col">
                Deploys
              </th>
              <th className="font-medium" scope="col">
                Failed
              </th>
              <th className="font-medium" scope="col">
                Failure rate
              </th>
              <th className="font-medium" scope="col">
                p50 (s)
              </th>
              <th className="font-medium" scope="col">
                p95 (s)
              </th>
            </tr>
          </thead>
          <tbody>
            {points
              .filter((p) => p.deploys > 0)
              .map((p) => (
                <tr key={p.day} data-day={p.day}>
                  <th className="text-left font-normal" scope="row">
                    {p.day}
                  </th>
                  <td data-cell="deploys">{p.deploys}</td>
                  <td data-cell="failed">{p.failed}</td>
                  <td data-cell="failure-rate">
                    {p.failurePct === null ? '—' : `${p.failurePct}%`}
                  </td>
                  <td data-cell="p50">{p.p50 ?? '—'}</td>
                  <td data-cell="p95">{p.p95 ?? '—'}</td>
                </tr>
              ))}
          </tbody>
        </table>
      </details>
    </section>
  );
}
