'use client';
import { matchesSelector } from '@serfbort/core';
import { useDeferredValue, useMemo, useState } from 'react';
import { useParsedSelector } from '@/components/selector/selector-input';
import { isDrifted } from './drift';
import type { FleetState } from './fleet-context';
import type { FleetRow } from './fleet-table';

export type Presence = 'all' | 'online' | 'offline';

/** The fleet page's filters, and the rows and counts they leave (typing is deferred at scale). */
export function useFleetFilter(fleet: FleetState) {
  const [selectorText, setSelectorText] = useState('');
  const [search, setSearch] = useState('');
  const [presence, setPresence] = useState<Presence>('all');
  const [driftOnly, setDriftOnly] = useState(false);
  const [showNonMatching, setShowNonMatching] = useState(false);
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

  const fields = {
    selectorText,
    setSelectorText,
    parsed,
    search,
    setSearch,
    presence,
    setPresence,
    driftOnly,
    setDriftOnly,
    showNonMatching,
    setShowNonMatching,
  };
  return { fields, rows, counts };
}

export type FleetFilterFields = ReturnType<typeof useFleetFilter>['fields'];
