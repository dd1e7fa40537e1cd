'use client';
import { isSuperseded, plural } from '@serfbort/client';
import type { HostProgress } from '@serfbort/core';
import { Badge } from '@/components/ui/badge';
import { StackedProgress } from '@/components/ui/progress';
import { HOST_STATE_LABEL } from '@/components/ui/state-badge';
import { countFinished, countStates, ORDER, progressSegments } from './live-states';
import type { ReceiptVerdict } from './verify-deployment';

/** How far the hosts are, and how many of their receipts this browser verified. */
export function LiveProgress({
  hosts,
  verdicts,
}: {
  hosts: HostProgress[];
  verdicts: ReadonlyMap<string, ReceiptVerdict>;
}) {
  const counts = countStates(hosts);
  // superseded requests are counted apart from the ones that lapsed: they did not expire
  const superseded = hosts.filter(isSuperseded).length;
  const named = { ...counts, expired: (counts.expired ?? 0) - superseded };
  const total = hosts.length;
  const kinds = [...verdicts.values()].map((v) => v.kind);
  const verified = kinds.filter((k) => k === 'verified').length;
  const unverified = kinds.filter((k) => k === 'unverified').length;
  return (
    <div className="grid gap-2">
      <div className="flex flex-wrap items-center justify-between gap-2 text-[13px]">
        <span className="font-medium" data-testid="live-progress">
          {countFinished(hosts)} of {plural(total, 'host')} finished
        </span>
        <span className="flex flex-wrap gap-1.5" data-testid="live-counts">
          {ORDER.filter((s) => named[s]).map((s) => (
            <Badge key={s} tone="outline" data-count-state={s}>
              {HOST_STATE_LABEL[s]} {named[s]}
            </Badge>
          ))}
          {superseded > 0 ? (
            <Badge tone="outline" data-count-state="superseded">
              superseded {superseded}
            </Badge>
          ) : null}
        </span>
      </div>
      <StackedProgress total={total} segments={progressSegments(counts)} className="h-2.5" />
      <p className="text-xs text-muted-foreground" data-testid="verified-count">
        {verified} of {total} receipts verified in this browser
        {unverified > 0 ? (
          <span className="ml-1 font-bold text-bad">· {unverified} UNVERIFIED</span>
        ) : null}
      </p>
    </div>
  );
}
