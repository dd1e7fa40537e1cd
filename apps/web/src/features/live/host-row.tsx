import type { HostProgress, OutputLine } from '@serfbort/core';
import { ChevronDownIcon, ChevronRightIcon } from 'lucide-react';
import { HostStateBadge } from '@/components/ui/state-badge';
import { HostOutput } from './host-output';
import { VerdictMark } from './verdict-mark';
import type { ReceiptVerdict } from './verify-deployment';

/** One host: the signed receipt's facts when it verifies, the hub's report otherwise. */
export function HostRow({
  host,
  verdict,
  lines,
  offline,
  open,
  onToggle,
}: {
  host: HostProgress;
  verdict: ReceiptVerdict;
  lines: OutputLine[];
  offline: boolean;
  open: boolean;
  onToggle: () => void;
}) {
  return (
    <li
      data-host={host.host}
      data-state={host.state}
      className={verdict.kind === 'unverified' ? 'bg-bad/5' : undefined}
    >
      <button
        type="button"
        onClick={onToggle}
        className="grid w-full grid-cols-[1.25rem_minmax(9rem,1fr)_7.5rem_minmax(10rem,2fr)_9rem] items-center gap-3 px-4 py-2 text-left text-sm hover:bg-accent/50"
      >
        {open ? (
          <ChevronDownIcon className="size-4 text-muted-foreground" />
        ) : (
          <ChevronRightIcon className="size-4 text-muted-foreground" />
        )}
        <span className="truncate font-medium">{host.host}</span>
        <span>
          <HostStateBadge
            state={host.state}
            offline={offline}
            {...(host.reason ? { reason: host.reason } : {})}
          />
        </span>
        <HostFacts host={host} verdict={verdict} />
        <span className="text-right">
          <VerdictMark verdict={verdict} state={host.state} />
        </span>
      </button>
      {open ? (
        <div className="border-t">
          {verdict.kind === 'unverified' ? (
            <p className="bg-bad/10 px-4 py-1.5 text-xs text-bad">
              Not believed: {verdict.why}. Anything shown for this host comes from the hub only.
            </p>
          ) : null}
          <HostOutput lines={lines} />
        </div>
      ) : null}
    </li>
  );
}

/** Reason · exit · version change, from the verified receipt when there is one. */
function HostFacts({ host, verdict }: { host: HostProgress; verdict: ReceiptVerdict }) {
  const signed = verdict.kind === 'verified' ? verdict.receipt : null;
  const reason = signed ? signed.reason : host.reason;
  const exit = signed ? signed.exitCode : host.exitCode;
  const before = signed ? signed.versionBefore : host.versionBefore;
  const after = signed ? signed.versionAfter : host.versionAfter;
  return (
    <span className="min-w-0 truncate text-[13px] text-muted-foreground">
      {reason ? (
        <span className="font-medium text-bad" data-testid="host-reason">
          {reason}
        </span>
      ) : null}
      {reason && (exit != null || after) ? ' · ' : ''}
      {exit != null ? `exit ${exit}` : ''}
      {after ? ` · ${before ?? '—'} → ${after}` : ''}
      {signed?.detail ? ` · ${signed.detail}` : ''}
    </span>
  );
}
