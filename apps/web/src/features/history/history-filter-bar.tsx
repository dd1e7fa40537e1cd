'use client';
import { DEPLOYMENT_OUTCOMES } from '@serfbort/core';
import { SearchIcon, XIcon } from 'lucide-react';
import { type FormEvent, useEffect, useMemo, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Input, Select } from '@/components/ui/input';
import { useFleet } from '@/features/fleet/fleet-context';
import type { HistoryFilters } from './history-query';
import { RANGES } from './history-query';

type Set = (changes: Record<string, string | undefined>) => void;

const RANGE_LABEL = {
  '24h': 'Last 24 hours',
  '7d': 'Last 7 days',
  '30d': 'Last 30 days',
  '90d': 'Last 90 days',
};

/**
 * App, status, host, text and time range. Lists apply at once; typed fields apply on
 * Enter (or leaving the field), so every applied filter is one step back/forward walks.
 */
export function HistoryFilterBar({ filters, set }: { filters: HistoryFilters; set: Set }) {
  const fleet = useFleet();
  const [text, setText] = useState({ app: '', host: '', q: '' });
  // the URL is the truth: back/forward and shared links refill the fields
  useEffect(() => {
    setText({ app: filters.app ?? '', host: filters.host ?? '', q: filters.q ?? '' });
  }, [filters.app, filters.host, filters.q]);
  const known = useMemo(() => {
    const apps = new Set<string>();
    for (const h of fleet.hosts) for (const a of Object.keys(h.apps)) apps.add(a);
    return { apps: [...apps].sort(), hosts: fleet.hosts.map((h) => h.name).sort() };
  }, [fleet.hosts]);

  const applyText = () => {
    const changed =
      text.app !== (filters.app ?? '') ||
      text.host !== (filters.host ?? '') ||
      text.q !== (filters.q ?? '');
    if (changed) set({ app: text.app.trim(), host: text.host.trim(), q: text.q.trim() });
  };
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    applyText();
  };
  const any = Object.values(filters).some(Boolean);

  return (
    <form
      className="flex flex-wrap items-center gap-2"
      onSubmit={onSubmit}
      data-testid="history-filters"
    >
      <div className="relative min-w-56 flex-[2]">
        <SearchIcon className="pointer-events-none absolute top-1/2 left-2.5 size-3.5 -translate-y-1/2 text-muted-foreground" />
        <Input
          className="pl-8"
          name="q"
          placeholder="App, version or signer contains…"
          value={text.q}
          maxLength={100}
          onChange={(e) => setText({ ...text, q: e.target.value })}
          onBlur={applyText}
          aria-label="Search history"
        />
      </div>
      <Input
        className="w-36"
        name="app"
        list="history-apps"
        placeholder="App"
        value={text.app}
        onChange={(e) => setText({ ...text, app: e.target.value })}
        onBlur={applyText}
        aria-label="App"
      />
      <datalist id="history-apps">
        {known.apps.map((a) => (
          <option key={a} value={a} />
        ))}
      </datalist>
      <Input
        className="w-40"
        name="host"
        list="history-hosts"
        placeholder="Host"
        value={text.host}
        onChange={(e) => setText({ ...text, host: e.target.value })}
        onBlur={applyText}
        aria-label="Host"
      />
      <datalist id="history-hosts">
        {known.hosts.slice(0, 500).map((h) => (
          <option key={h} value={h} />
        ))}
      </datalist>
      <Select
        className="w-36"
        name="status"
        value={filters.status ?? ''}
        onChange={(e) => set({ status: e.target.value })}
        aria-label="Status"
      >
        <option value="">Any status</option>
        {DEPLOYMENT_OUTCOMES.map((o) => (
          <option key={o} value={o}>
            {o[0]!.toUpperCase() + o.slice(1)}
          </option>
        ))}
      </Select>
      <Select
        className="w-40"
        name="range"
        value={filters.range ?? ''}
        onChange={(e) => set({ range: e.target.value })}
        aria-label="Time range"
      >
        <option value="">Any time</option>
        {RANGES.map((r) => (
          <option key={r} value={r}>
            {RANGE_LABEL[r]}
          </option>
        ))}
      </Select>
      {/* Enter applies the typed fields; the button is there for pointers too */}
      <Button type="submit" size="sm" variant="outline" data-testid="history-apply">
        Apply
      </Button>
      {any ? (
        <Button
          type="button"
          size="sm"
          variant="ghost"
          onClick={() =>
            set({
              app: undefined,
              host: undefined,
              q: undefined,
              status: undefined,
              range: undefined,
            })
          }
        >
          <XIcon />
          Clear
        </Button>
      ) : null}
    </form>
  );
}
