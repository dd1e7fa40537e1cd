'use client';
import { matchesSelector } from '@serfbort/core';
import { useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
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
  const urlSelector = params.get('selector') ?? '';
  const urlSearch = params.get('q') ?? '';
  const [selectorText, setSelectorText] = useState(urlSelector);
  const [search, setSearch] = useState(urlSearch);
  const presenceParam = params.get('presence') ?? 'all';
  const presence = (PRESENCES.includes(presenceParam) ? presenceParam : 'all') as Presence;
  const driftOnly = params.get('drift') === '1';
  const showNonMatching = params.get('all') === '1';
  const deferredSelector = useDeferredValue(selectorText);
  const parsed = useParsedSelector(deferredSelector);
  const deferredSearch = useDeferredValue(search);

  // typed text → URL (replace); what this page wrote is remembered, so that only a URL
  // changed from outside (back, forward, a link) is copied back into the fields
  const written = useRef({ selector: urlSelector, q: urlSearch });
  // biome-ignore lint/correctness/useExhaustiveDependencies: only typed text writes the URL
  useEffect(() => {
    if (deferredSelector === urlSelector && deferredSearch === urlSearch) return;
    written.current = { selector: deferredSelector, q: deferredSearch };
    set({ selector: deferredSelector, q: deferredSearch }, { replace: true });
  }, [deferredSelector, deferredSearch]);
  useEffect(() => {
    if (urlSelector === written.current.selector && urlSearch === written.current.q) return;
    written.current = { selector: urlSelector, q: urlSearch };
    setSelectorText(urlSelector);
    setSearch(urlSearch);
  }, [urlSelector, urlSearch]);
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
