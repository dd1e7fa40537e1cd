'use client';
import type { HostView } from '@serfbort/core';
import { hostProblemTexts } from '@serfbort/core';
import {
  createColumnHelper,
  createSortedRowModel,
  flexRender,
  rowSortingFeature,
  sortFn_alphanumeric,
  sortFn_basic,
  tableFeatures,
  useTable,
} from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { AlertTriangleIcon, ArrowDownIcon, ArrowUpIcon } from 'lucide-react';
import { memo, useRef } from 'react';
import { LabelChip } from '@/components/ui/badge';
import { PresenceDot } from '@/components/ui/state-badge';
import { ago, cn } from '@/lib/utils';
import { appStatuses } from './drift';

export interface FleetRow {
  host: HostView;
  /** false when a selector is set, the host does not match, and non-matches are shown */
  matches: boolean;
  drifted: boolean;
}

const features = tableFeatures({
  rowSortingFeature,
  sortedRowModel: createSortedRowModel(),
  sortFns: { alphanumeric: sortFn_alphanumeric, basic: sortFn_basic },
});
const helper = createColumnHelper<typeof features, FleetRow>();
const PRESENCE_ORDER = { online: 0, lost: 1, left: 2 } as const;

const columns = helper.columns([
  helper.accessor((r) => r.host.name, {
    id: 'name',
    header: 'Host',
    sortFn: 'alphanumeric',
    cell: (info) => (
      <span className="flex min-w-0 items-center gap-2">
        <PresenceDot state={info.row.original.host.state} />
        <span className="truncate font-medium">{info.row.original.host.name}</span>
        {!info.row.original.host.approved ? (
          <span className="rounded bg-warn/15 px-1 text-[11px] text-warn">unapproved</span>
        ) : null}
      </span>
    ),
  }),
  helper.accessor((r) => PRESENCE_ORDER[r.host.state], {
    id: 'state',
    header: 'State',
    sortFn: 'basic',
    cell: (info) => <StateCell host={info.row.original.host} />,
  }),
  helper.accessor(
    (r) =>
      Object.entries(r.host.labels)
        .map(([k, v]) => `${k}=${v}`)
        .join(','),
    {
      id: 'labels',
      header: 'Labels',
      sortFn: 'alphanumeric',
      cell: (info) => (
        <span className="flex min-w-0 gap-1 overflow-hidden">
          {Object.entries(info.row.original.host.labels).map(([k, v]) => (
            <LabelChip key={k} k={k} v={v} />
          ))}
          <LabelStateNote state={info.row.original.host.labelState} />
        </span>
      ),
    },
  ),
  helper.accessor((r) => (r.drifted ? 0 : 1), {
    id: 'apps',
    header: 'Apps',
    sortFn: 'basic',
    cell: (info) => (
      <span className="flex min-w-0 gap-1.5 overflow-hidden">
        {appStatuses(info.row.original.host).map((s) => (
          <span
            key={s.app}
            title={s.detail}
            className={cn(
              'inline-flex shrink-0 items-center gap-1 rounded border px-1.5 font-mono text-[11.5px] leading-5',
              s.drift === 'failed' || s.drift === 'differs'
                ? 'border-warn/50 bg-warn/10 text-warn'
                : s.drift === 'in-progress'
                  ? 'border-info/40 text-info'
                  : 'text-muted-foreground',
            )}
          >
            {s.drift === 'failed' || s.drift === 'differs' ? (
              <AlertTriangleIcon className="size-3" />
            ) : null}
            <span className="text-foreground/80">{s.app}</span>
            {s.version ?? '—'}
          </span>
        ))}
      </span>
    ),
  }),
  helper.accessor((r) => r.host.lastSeen, {
    id: 'lastSeen',
    header: 'Last seen',
    sortFn: 'basic',
    cell: (info) => (
      <span className="text-[13px] text-muted-foreground tabular-nums">
        {info.row.original.host.state === 'online' ? 'now' : ago(info.row.original.host.lastSeen)}
      </span>
    ),
  }),
]);

const GRID =
  'grid grid-cols-[minmax(11rem,1.2fr)_7.5rem_minmax(10rem,1.5fr)_minmax(12rem,2fr)_6.5rem] gap-3 px-4';
const ROW_HEIGHT = 40;

type TableRow = ReturnType<ReturnType<typeof useFleetTable>['getRowModel']>['rows'][number];

function useFleetTable(rows: FleetRow[]) {
  return useTable({
    features,
    columns,
    data: rows,
    getRowId: (r) => r.host.name,
    initialState: { sorting: [{ id: 'name', desc: false }] },
  });
}

/** One row; memoized so scrolling re-renders only rows that enter the window. */
const FleetRowView = memo(function FleetRowView({
  row,
  start,
  selected,
  onSelect,
}: {
  row: TableRow;
  start: number;
  selected: boolean;
  onSelect: (name: string) => void;
}) {
  const r = row.original;
  return (
    <tr
      data-host={r.host.name}
      data-drifted={r.drifted ? 'true' : undefined}
      onClick={() => onSelect(r.host.name)}
      onKeyDown={(e) => e.key === 'Enter' && onSelect(r.host.name)}
      className={cn(
        GRID,
        'absolute top-0 left-0 w-full cursor-pointer items-center border-b border-border/60 text-sm hover:bg-accent/60',
        r.drifted && 'bg-warn/[0.06] shadow-[inset_3px_0_0_var(--warn)]',
        !r.matches && 'opacity-45',
        selected && 'bg-accent',
      )}
      style={{ height: ROW_HEIGHT, transform: `translateY(${start}px)` }}
    >
      {row.getAllCells().map((cell) => (
        <td key={cell.id} className="min-w-0">
          {flexRender(cell.column.columnDef.cell, cell.getContext())}
        </td>
      ))}
    </tr>
  );
});

/** Ten thousand rows stay smooth: only the visible ones (plus a few) are in the DOM. */
export function FleetTable({
  rows,
  selected,
  onSelect,
}: {
  rows: FleetRow[];
  selected: string | null;
  onSelect: (name: string) => void;
}) {
  const table = useFleetTable(rows);
  const model = table.getRowModel().rows;
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: model.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    getItemKey: (i) => model[i]?.id ?? i,
  });

  return (
    <div
      ref={scrollRef}
      className="min-h-0 flex-1 overflow-auto rounded-lg border bg-card"
      data-testid="fleet-table"
    >
      <table className="grid w-full" aria-rowcount={model.length}>
        <thead className="sticky top-0 z-10 grid border-b bg-muted/90 backdrop-blur">
          {table.getHeaderGroups().map((group) => (
            <tr
              key={group.id}
              className={cn(GRID, 'h-9 items-center text-xs font-medium text-muted-foreground')}
            >
              {group.headers.map((header) => {
                const sorted = header.column.getIsSorted();
                return (
                  <th
                    key={header.id}
                    className="text-left font-medium"
                    aria-sort={
                      sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none'
                    }
                  >
                    <button
                      type="button"
                      onClick={header.column.getToggleSortingHandler()}
                      className="flex items-center gap-1 hover:text-foreground"
                    >
                      <table.FlexRender header={header} />
                      {sorted === 'asc' ? (
                        <ArrowUpIcon className="size-3" />
                      ) : sorted === 'desc' ? (
                        <ArrowDownIcon className="size-3" />
                      ) : null}
                    </button>
                  </th>
                );
              })}
            </tr>
          ))}
        </thead>
        <tbody className="relative grid" style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((item) => {
            const row = model[item.index];
            if (!row) return null;
            return (
              <FleetRowView
                key={row.id}
                row={row}
                start={item.start}
                selected={selected === row.id}
                onSelect={onSelect}
              />
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** Labels an operator has not signed (yet) are the agent's word: say so beside them. */
function LabelStateNote({ state }: { state: HostView['labelState'] }) {
  if (state !== 'changed' && state !== 'not-approved') return null;
  return (
    <span className="shrink-0 text-xs text-amber-600" data-testid="label-state">
      {state === 'changed' ? 'labels changed — needs approval' : 'labels not approved'}
    </span>
  );
}

/** Presence, or what stands in the host's way (full disk, expired trust, clock skew) in its place. */
function StateCell({ host }: { host: HostView }) {
  const problems = hostProblemTexts(host);
  if (problems.length > 0)
    return (
      <span
        className="flex min-w-0 items-center gap-1 text-[13px] text-bad"
        title={`${host.state}: ${problems.join('; ')}`}
        data-testid="host-problem"
      >
        <AlertTriangleIcon className="size-3 shrink-0" />
        <span className="truncate">{problems.join(', ')}</span>
      </span>
    );
  return (
    <span
      className={cn(
        'text-[13px]',
        host.state === 'lost' && 'text-bad',
        host.state === 'left' && 'text-muted-foreground',
      )}
    >
      {host.state}
    </span>
  );
}
