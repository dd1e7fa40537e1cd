'use client';
import Link from 'next/link';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { UnverifiedMark, VerifiedMark } from '@/features/live/verdict-mark';
import { formatTime } from '@/lib/utils';
import type { HostRow, StepRows } from './judge-steps';

const TONE: Record<string, 'ok' | 'bad' | 'warn' | 'info' | 'neutral'> = {
  succeeded: 'ok',
  failed: 'bad',
  rejected: 'bad',
  'timed-out': 'bad',
  interrupted: 'bad',
  unverified: 'bad',
  silent: 'bad',
  'offline-pending': 'warn',
  running: 'info',
  accepted: 'info',
  delivered: 'info',
};

function Mark({ row }: { row: HostRow }) {
  if (row.verdict.kind === 'verified') return <VerifiedMark />;
  if (row.outcome.final)
    return (
      <UnverifiedMark
        why={row.verdict.kind === 'unverified' ? row.verdict.why : 'no verified receipt'}
        label="✗"
      />
    );
  if (row.outcome.result === 'not released')
    return <span className="text-xs text-muted-foreground">—</span>;
  return <span className="text-xs text-muted-foreground">awaiting receipt</span>;
}

function HostLine({ row }: { row: HostRow }) {
  const signed = row.verdict.kind === 'verified' ? row.verdict.receipt : null;
  return (
    <li
      className="grid grid-cols-[minmax(8rem,1fr)_7.5rem_minmax(8rem,2fr)_6rem] items-center gap-3 px-4 py-1.5 text-sm"
      data-host={row.host}
      data-result={row.outcome.result}
    >
      <span className="truncate font-medium">{row.host}</span>
      <span>
        <Badge tone={TONE[row.outcome.result] ?? 'neutral'}>{row.outcome.result}</Badge>
      </span>
      <span className="min-w-0 truncate text-[13px] text-muted-foreground">
        {signed?.reason ? <span className="font-medium text-bad">{signed.reason} </span> : null}
        {signed?.versionAfter || signed?.versionBefore
          ? `${signed.versionBefore ?? '—'} → ${signed.versionAfter ?? '—'}`
          : ''}
        {signed?.detail ? ` · ${signed.detail}` : ''}
      </span>
      <span className="text-right">
        <Mark row={row} />
      </span>
    </li>
  );
}

/** One step of a rollout: its hosts, each with the result its verified receipt gives. */
export function StepCard({ s, current }: { s: StepRows; current: boolean }) {
  const { step } = s;
  return (
    <Card
      className="overflow-hidden"
      data-testid="rollout-step-card"
      data-step={step.index}
      data-released={step.requestId ? 'yes' : 'no'}
    >
      <div className="flex flex-wrap items-center gap-2 border-b bg-muted/40 px-4 py-2 text-[13px]">
        <span className="font-medium">Step {step.index + 1}</span>
        <Badge tone={step.kind === 'canary' ? 'warn' : 'outline'}>{step.kind}</Badge>
        {step.version ? <span className="font-mono text-xs">→ {step.version}</span> : null}
        {step.requestId ? (
          <>
            <Link
              className="font-mono text-xs text-muted-foreground underline"
              href={`/deployments/${encodeURIComponent(step.requestId)}`}
              // a deployment's page is drawn in the browser from the hub: nothing to prefetch
              prefetch={false}
            >
              request {step.requestId.slice(0, 8)}…
            </Link>
            {step.releasedAt ? (
              <span className="text-xs text-muted-foreground">
                released {formatTime(step.releasedAt)}
              </span>
            ) : null}
          </>
        ) : (
          <span className="text-xs text-muted-foreground">not released</span>
        )}
        <span className="ml-auto text-xs">
          {s.failures > 0 ? (
            <span className="font-medium text-bad">{s.failures} failed</span>
          ) : s.finished ? (
            <span className="text-ok">all succeeded</span>
          ) : current ? (
            <span className="text-info">in progress</span>
          ) : null}
        </span>
      </div>
      {s.requestProblem ? (
        <p className="bg-bad/10 px-4 py-1.5 text-xs text-bad" data-testid="step-request-problem">
          ✗ The hub&apos;s request for this step is not believed: {s.requestProblem}.
        </p>
      ) : null}
      <ul className="divide-y">
        {s.rows.map((r) => (
          <HostLine key={r.host} row={r} />
        ))}
      </ul>
    </Card>
  );
}
