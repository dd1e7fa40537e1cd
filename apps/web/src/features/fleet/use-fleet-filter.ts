'use client';
import { matchesSelector } from '@serfbort/core';
import { useDeferredValue, useEffect, useMemo, useState } from 'react';
import { useParsedSelector } from '@/components/selector/selector-input';
import { useQueryState } from '@/lib/use-query-state';
import { isDrifted } from './drift';
import type { FleetState } from './fleet-context';
import type { FleetRow } from './fleet-table';

export type Presence = 'all' | 'online' | 'offline';
const PRESENCES: readonly string[] = ['all', 'online', 'offline'];

/**
 * The fleet page's filters, and the rows and counts they leave (typing is deferred at
 * scale). All of them live in the URL (`?selector=role%3Dweb&q=web&presence=online&drift=1
 * &all=1`), so a view can be shared and back/forward walk through it; typed text follows
 * the URL without a history entry per keystroke.
 */
export function useFleetFilter(fleet: FleetState) {
  const { params, set } = useQueryState();
  const [selectorText, setSelectorText] = useState(() => params.get('selector') ?? '');
  const [search, setSearch] = useState(() => params.get('q') ?? '');
  const presenceParam = params.get('presence') ?? 'all';
  const presence = (PRESENCES.includes(presenceParam) ? presenceParam : 'all') as Presence;
  const driftOnly = params.get('drift') === '1';
  const showNonMatching = params.get('all') === '1';
  const deferredSelector = useDeferredValue(selectorText);
  const parsed = useParsedSelector(deferredSelector);
  const deferredSearch = useDeferredValue(search);

  // typed text → URL, replacing the entry: no history entry per keystroke
  useEffect(() => {
    set({ selector: deferredSelector, q: deferredSearch }, { replace: true });
  }, [deferredSelector, deferredSearch, set]);
  // URL → typed text, only when the browser moves through its history: what this page
  // wrote is in the fields already, and the router reports it late, one step at a time
  // (copying those late steps back undid the last keystrokes)
  useEffect(() => {
    const refill = () => {
      const now = new URLSearchParams(window.location.search);
      setSelectorText(now.get('selector') ?? '');
      setSearch(now.get('q') ?? '');
    };
    window.addEventListener('popstate', refill);
    return () => window.removeEventListener('popstate', refill);
  }, []);
  const setPresence = (p: Presence) => set({ presence: p === 'all' ? undefined : p });
  const setDriftOnly = (on: boolean) => set({ drift: on ? '1' : undefined });
  const setShowNonMatching = (on: boolean) => set({ all: on ? '1' : undefined });

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
