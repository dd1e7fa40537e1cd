'use client';
import { Suspense } from 'react';
import { Page, RequireReader } from '@/components/shell/page';
import { Alert } from '@/components/ui/alert';
import { useFleet } from '@/features/fleet/fleet-context';
import { FleetFilterBar } from '@/features/fleet/fleet-filter-bar';
import { FleetTable } from '@/features/fleet/fleet-table';
import { HostPanel } from '@/features/fleet/host-panel';
import { useFleetFilter } from '@/features/fleet/use-fleet-filter';
import { RosterWarning } from '@/features/roster/roster-warning';
import { useQueryState } from '@/lib/use-query-state';
import { cn } from '@/lib/utils';

export default function FleetPage() {
  // the selected host is read from the URL on the client
  return (
    <Suspense>
      <Fleet />
    </Suspense>
  );
}

function Fleet() {
  const fleet = useFleet();
  const { fields, rows, counts } = useFleetFilter(fleet);
  // in the URL (?host=name), so a host's panel can be linked to and back closes it
  const { params, set } = useQueryState();
  const selected = params.get('host');
  const setSelected = (host: string | null) => set({ host: host ?? undefined });
  const selectedHost = selected ? fleet.byName.get(selected) : undefined;

  return (
    <Page
      title="Fleet"
      description={
        <span data-testid="fleet-counts">
          {counts.total.toLocaleString()} {counts.total === 1 ? 'host' : 'hosts'} ·{' '}
          {counts.online.toLocaleString()} online ·{' '}
          <span className={cn(counts.drifted > 0 && 'font-medium text-warn')}>
            {counts.drifted.toLocaleString()} drifted
          </span>
          {fields.parsed?.ok ? ` · ${counts.matching.toLocaleString()} match the selector` : ''}
        </span>
      }
    >
      <RequireReader what="the fleet">
        <FleetFilterBar f={fields} />
        {fleet.loaded ? (
          <RosterWarning target={undefined} reported={fleet.byName} what="the fleet" />
        ) : null}
        {fleet.error ? (
          <Alert tone="bad" title="The hub did not send the fleet">
            {fleet.error}
          </Alert>
        ) : null}
        <div className="flex min-h-[24rem] flex-1 gap-3">
          {fleet.loaded && fleet.hosts.length === 0 ? (
            <div className="grid flex-1 place-items-center rounded-lg border border-dashed text-sm text-muted-foreground">
              No hosts have connected to this hub yet. Start an agent with this hub's URL.
            </div>
          ) : (
            <FleetTable rows={rows} selected={selected} onSelect={setSelected} />
          )}
          {selectedHost ? (
            <HostPanel
              host={selectedHost}
              selector={fields.parsed}
              onClose={() => setSelected(null)}
            />
          ) : null}
        </div>
      </RequireReader>
    </Page>
  );
}
