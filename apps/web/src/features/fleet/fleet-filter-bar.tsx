'use client';
import { AlertTriangleIcon, SearchIcon } from 'lucide-react';
import { SelectorInput } from '@/components/selector/selector-input';
import { Input, Select } from '@/components/ui/input';
import type { FleetFilterFields, Presence } from './use-fleet-filter';

/** Selector, name search, presence and drift filters above the fleet table. */
export function FleetFilterBar({ f }: { f: FleetFilterFields }) {
  return (
    <div className="flex flex-wrap items-start gap-2">
      <SelectorInput
        className="min-w-72 flex-[2]"
        value={f.selectorText}
        onChange={f.setSelectorText}
        result={f.parsed}
      />
      <div className="relative min-w-44 flex-1">
        <SearchIcon className="pointer-events-none absolute top-1/2 left-2.5 size-3.5 -translate-y-1/2 text-muted-foreground" />
        <Input
          className="pl-8"
          placeholder="Host name contains…"
          value={f.search}
          onChange={(e) => f.setSearch(e.target.value)}
          aria-label="Search host names"
        />
      </div>
      <Select
        className="w-36"
        value={f.presence}
        onChange={(e) => f.setPresence(e.target.value as Presence)}
        aria-label="Presence"
      >
        <option value="all">All states</option>
        <option value="online">Online</option>
        <option value="offline">Left or lost</option>
      </Select>
      <label className="flex h-9 items-center gap-2 rounded-md border bg-card px-3 text-[13px]">
        <input
          type="checkbox"
          checked={f.driftOnly}
          onChange={(e) => f.setDriftOnly(e.target.checked)}
        />
        <AlertTriangleIcon className="size-3.5 text-warn" /> Drifted only
      </label>
      {f.parsed?.ok ? (
        <label className="flex h-9 items-center gap-2 rounded-md border bg-card px-3 text-[13px]">
          <input
            type="checkbox"
            checked={f.showNonMatching}
            onChange={(e) => f.setShowNonMatching(e.target.checked)}
            data-testid="show-non-matching"
          />
          Show non-matching
        </label>
      ) : null}
    </div>
  );
}
