'use client';
import { plural } from '@serfbort/client';
import type { HostView } from '@serfbort/core';
import { SearchIcon } from 'lucide-react';
import { useMemo, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { PresenceDot } from '@/components/ui/state-badge';

const SHOWN = 200;

/** Pick hosts by name; a target by names is exact — it never grows with the fleet. */
export function HostPicker({
  hosts,
  selected,
  onChange,
}: {
  hosts: HostView[];
  selected: ReadonlySet<string>;
  onChange: (next: Set<string>) => void;
}) {
  const [q, setQ] = useState('');
  const matching = useMemo(() => {
    const needle = q.trim().toLowerCase();
    return hosts
      .filter(
        (h) =>
          h.name.includes(needle) ||
          Object.entries(h.labels).some(([k, v]) => `${k}=${v}`.includes(needle)),
      )
      .sort((a, b) => a.name.localeCompare(b.name));
  }, [hosts, q]);
  const toggle = (name: string) => {
    const next = new Set(selected);
    if (next.has(name)) next.delete(name);
    else next.add(name);
    onChange(next);
  };
  return (
    <div className="grid gap-2">
      <div className="flex gap-2">
        <div className="relative flex-1">
          <SearchIcon className="pointer-events-none absolute top-1/2 left-2.5 size-3.5 -translate-y-1/2 text-muted-foreground" />
          <Input
            className="pl-8"
            placeholder="Filter by name or label…"
            value={q}
            onChange={(e) => setQ(e.target.value)}
            aria-label="Filter hosts"
          />
        </div>
        <Button
          type="button"
          variant="outline"
          onClick={() => onChange(new Set([...selected, ...matching.map((h) => h.name)]))}
        >
          Add all {matching.length}
        </Button>
        <Button
          type="button"
          variant="ghost"
          onClick={() => onChange(new Set())}
          disabled={selected.size === 0}
        >
          Clear
        </Button>
      </div>
      <ul className="max-h-64 divide-y overflow-auto rounded-md border">
        {matching.slice(0, SHOWN).map((h) => (
          <PickableHost
            key={h.name}
            host={h}
            checked={selected.has(h.name)}
            onToggle={() => toggle(h.name)}
          />
        ))}
        {matching.length > SHOWN ? (
          <li className="px-3 py-1.5 text-xs text-muted-foreground">
            …and {matching.length - SHOWN} more; narrow the filter or use “Add all”.
          </li>
        ) : null}
        {matching.length === 0 ? (
          <li className="px-3 py-3 text-sm text-muted-foreground">No host matches.</li>
        ) : null}
      </ul>
      <p className="text-xs text-muted-foreground">{plural(selected.size, 'host')} selected</p>
    </div>
  );
}

function PickableHost({
  host: h,
  checked,
  onToggle,
}: {
  host: HostView;
  checked: boolean;
  onToggle: () => void;
}) {
  return (
    <li>
      <label className="flex cursor-pointer items-center gap-2.5 px-3 py-1.5 text-sm hover:bg-accent/60">
        <input type="checkbox" checked={checked} onChange={onToggle} />
        <PresenceDot state={h.state} />
        <span className="font-medium">{h.name}</span>
        <span className="truncate font-mono text-xs text-muted-foreground">
          {Object.entries(h.labels)
            .map(([k, v]) => (v ? `${k}=${v}` : k))
            .join(' ')}
        </span>
      </label>
    </li>
  );
}
