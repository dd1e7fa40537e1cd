'use client';
import { useMemo } from 'react';
import { useFleet } from '@/features/fleet/fleet-context';
import { versionsByApp } from './series';

/**
 * Which version of each app the fleet runs: a bar per version, as wide as its share of
 * hosts. From the fleet the dashboard already holds (each host's last report); a signed
 * answer is what Check asks for.
 */
export function VersionsView({ app }: { app?: string }) {
  const fleet = useFleet();
  const byApp = useMemo(() => versionsByApp(fleet.hosts), [fleet.hosts]);
  const apps = [...byApp.entries()].filter(([a]) => !app || a === app);
  if (fleet.loaded && apps.length === 0)
    return <p className="text-sm text-muted-foreground">No host reports {app ?? 'any app'}.</p>;
  return (
    <div className="grid gap-3 md:grid-cols-2" data-testid="versions-view">
      {apps.map(([name, versions]) => {
        const total = versions.reduce((t, v) => t + v.hosts, 0);
        return (
          <section key={name} className="grid gap-2 rounded-lg border bg-card p-4" data-app={name}>
            <h3 className="text-sm font-semibold">
              {name}{' '}
              <span className="font-normal text-muted-foreground">
                · {total} {total === 1 ? 'host' : 'hosts'}, {versions.length}{' '}
                {versions.length === 1 ? 'version' : 'versions'}
              </span>
            </h3>
            <ul className="grid gap-1.5">
              {versions.map((v) => (
                <li
                  key={v.version}
                  className="grid grid-cols-[8rem_1fr_5rem] items-center gap-2 text-[13px]"
                  data-version={v.version}
                  data-hosts={v.hosts}
                >
                  <code className="truncate font-mono" title={v.version}>
                    {v.version}
                  </code>
                  <span className="h-2.5 overflow-hidden rounded-full bg-muted" aria-hidden="true">
                    <span
                      className="block h-full rounded-full bg-primary"
                      style={{ width: `${(v.hosts / total) * 100}%` }}
                    />
                  </span>
                  <span className="text-right tabular-nums">
                    {v.hosts} {v.hosts === 1 ? 'host' : 'hosts'}
                    {v.online < v.hosts ? (
                      <span className="sr-only"> ({v.online} online)</span>
                    ) : null}
                  </span>
                </li>
              ))}
            </ul>
          </section>
        );
      })}
    </div>
  );
}
