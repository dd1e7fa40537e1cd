import type { HostState } from '@serfbort/core';
import { StackedProgress } from '@/components/ui/progress';

/** A deployment's hosts by outcome, as the hub counts them. */
export function OutcomeBar({
  counts,
  superseded = 0,
}: {
  counts: Partial<Record<HostState, number>>;
  /** of the expired ones, those a newer request replaced: they did not lapse */
  superseded?: number;
}) {
  const n = (s: HostState[]) => s.reduce((t, k) => t + (counts[k] ?? 0), 0);
  const total = Object.values(counts).reduce((t, v) => t + (v ?? 0), 0);
  const ok = n(['succeeded']);
  const bad = n(['failed', 'rejected', 'timed-out']);
  const warn = n(['expired', 'interrupted']);
  const lapsed = warn - superseded;
  const busy = total - ok - bad - warn;
  return (
    <div className="grid gap-1">
      <StackedProgress
        total={total}
        segments={[
          { label: 'succeeded', value: ok, className: 'bg-ok' },
          { label: 'failed', value: bad, className: 'bg-bad' },
          { label: 'expired or superseded', value: warn, className: 'bg-warn' },
          { label: 'in progress', value: busy, className: 'bg-info' },
        ]}
      />
      <span className="text-xs text-muted-foreground tabular-nums">
        {ok}/{total} ok{bad ? <span className="text-bad"> · {bad} failed or rejected</span> : null}
        {lapsed ? <span className="text-warn"> · {lapsed} expired</span> : null}
        {superseded ? <span className="text-warn"> · {superseded} superseded</span> : null}
        {busy ? ` · ${busy} in progress` : ''}
      </span>
    </div>
  );
}
