'use client';
import { matchesSelector } from '@serfbort/core';
import { AlertTriangleIcon, SearchIcon } from 'lucide-react';
import { useDeferredValue, useMemo, useState } from 'react';
import { SelectorInput, useParsedSelector } from '@/components/selector/selector-input';
import { Page, RequireOperator } from '@/components/shell/page';
import { Alert } from '@/components/ui/alert';
import { Input, Select } from '@/components/ui/input';
import { isDrifted } from '@/features/fleet/drift';
import { useFleet } from '@/features/fleet/fleet-context';
import { type FleetRow, FleetTable } from '@/features/fleet/fleet-table';
import { HostPanel } from '@/features/fleet/host-panel';
import { cn } from '@/lib/utils';

export default function FleetPage() {
  const fleet = useFleet();
  const [selectorText, setSelectorText] = useState('');
  const [search, setSearch] = useState('');
  const [presence, setPresence] = useState<'all' | 'online' | 'offline'>('all');
  const [driftOnly, setDriftOnly] = useState(false);
  const [showNonMatching, setShowNonMatching] = useState(false);
  const [selected, setSelected] = useState<string | null>(null);
  const parsed = useParsedSelector(useDeferredValue(selectorText));
  const deferredSearch = useDeferredValue(search);

  const { rows, counts } = useMemo(() => {
    const selector = parsed?.ok ? parsed.selector : null;
    const q = deferredSearch.trim().toLowerCase();
    const counts = { total: fleet.hosts.length, online: 0, drifted: 0, matching: 0 };
    const rows: FleetRow[] = [];
    for (const host of fleet.hosts) {
      const drifted = isDrifted(host);
      if (host.state === 'online') counts.online++;
      if (drifted) counts.drifted++;
      const matches = selector ? matchesSelector(selector, host.labels) : true;
      if (matches) counts.matching++;
      if (!matches && !showNonMatching) continue;
      if (q && !host.name.includes(q)) continue;
      if (presence === 'online' && host.state !== 'online') continue;
      if (presence === 'offline' && host.state === 'online') continue;
      if (driftOnly && !drifted) continue;
      rows.push({ host, matches, drifted });
    }
    return { rows, counts };
  }, [fleet.hosts, parsed, deferredSearch, presence, driftOnly, showNonMatching]);

  const selectedHost = selected ? fleet.byName.get(selected) : undefined;

  return (
    <Page
      title="Fleet"
      description={
        <span data-testid="fleet-counts">
          {counts.total.toLocaleString()} hosts · {counts.online.toLocaleString()} online ·{' '}
          <span className={cn(counts.drifted > 0 && 'font-medium text-warn')}>
            {counts.drifted.toLocaleString()} drifted
          </span>
          {parsed?.ok ? ` · ${counts.matching.toLocaleString()} match the selector` : ''}
        </span>
      }
    >
      <RequireOperator what="the fleet">
        <div className="flex flex-wrap items-start gap-2">
          <SelectorInput
            className="min-w-72 flex-[2]"
            value={selectorText}
            onChange={setSelectorText}
            result={parsed}
          />
          <div className="relative min-w-44 flex-1">
            <SearchIcon className="pointer-events-none absolute top-1/2 left-2.5 size-3.5 -translate-y-1/2 text-muted-foreground" />
            <Input
              className="pl-8"
              placeholder="Host name contains…"
              value={search}
              onChange={(e) => setSearch(e.target.value)}
              aria-label="Search host names"
            />
          </div>
          <Select
            className="w-36"
            value={presence}
            onChange={(e) => setPresence(e.target.value as typeof presence)}
            aria-label="Presence"
          >
            <option value="all">All states</option>
            <option value="online">Online</option>
            <option value="offline">Left or lost</option>
          </Select>
          <label className="flex h-9 items-center gap-2 rounded-md border bg-card px-3 text-[13px]">
            <input
              type="checkbox"
              checked={driftOnly}
              onChange={(e) => setDriftOnly(e.target.checked)}
            />
            <AlertTriangleIcon className="size-3.5 text-warn" /> Drifted only
          </label>
          {parsed?.ok ? (
            <label className="flex h-9 items-center gap-2 rounded-md border bg-card px-3 text-[13px]">
              <input
                type="checkbox"
                checked={showNonMatching}
                onChange={(e) => setShowNonMatching(e.target.checked)}
                data-testid="show-non-matching"
              />
              Show non-matching
            </label>
          ) : null}
        </div>
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
            <HostPanel host={selectedHost} selector={parsed} onClose={() => setSelected(null)} />
          ) : null}
        </div>
      </RequireOperator>
    </Page>
  );
}
