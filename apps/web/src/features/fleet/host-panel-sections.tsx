'use client';
import type { explainMatch, HostView } from '@serfbort/core';
import { HOST_PROBLEM_WORDS } from '@serfbort/core';
import { AlertTriangleIcon, CheckIcon, XIcon } from 'lucide-react';
import Link from 'next/link';
import { Badge } from '@/components/ui/badge';
import { HostStateBadge } from '@/components/ui/state-badge';
import { formatTime, shortId } from '@/lib/utils';
import type { appStatuses } from './drift';

/**
 * What keeps the host from deploying, in the agent's own detail: a hello refused for its
 * clock (while it keeps the host offline), a full disk, expired trust.
 */
export function HostProblems({ host }: { host: HostView }) {
  const items = [
    ...(host.problem && host.state !== 'online'
      ? [{ words: host.problem.detail, detail: 'its hello is refused: set its clock right (NTP)' }]
      : []),
    ...(host.problems ?? []).map((p) => ({ words: HOST_PROBLEM_WORDS[p.code], detail: p.detail })),
  ];
  if (items.length === 0) return null;
  return (
    <section className="grid gap-1.5" data-testid="host-problems">
      <h3 className="text-xs font-medium text-muted-foreground uppercase">Problems</h3>
      <ul className="grid gap-1">
        {items.map((p) => (
          <li key={p.words} className="flex gap-2 rounded-md border border-bad/40 px-2 py-1.5">
            <AlertTriangleIcon className="mt-0.5 size-3.5 shrink-0 text-bad" />
            <div>
              <p className="text-xs font-medium text-bad">{p.words}</p>
              <p className="text-xs text-muted-foreground">{p.detail}</p>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Each requirement of the selector, met or not by this host's labels. */
export function MatchExplanation({ verdicts }: { verdicts: ReturnType<typeof explainMatch> }) {
  const matches = verdicts.every((v) => v.matched);
  return (
    <section className="grid gap-1.5" data-testid="match-explanation">
      <h3 className="text-xs font-medium text-muted-foreground uppercase">
        {matches ? 'Why it matches' : 'Why it does not match'}
      </h3>
      <ul className="grid gap-1">
        {verdicts.map((v) => (
          <li key={v.requirement} className="flex gap-2 rounded-md border px-2 py-1.5">
            {v.matched ? (
              <CheckIcon className="mt-0.5 size-3.5 shrink-0 text-ok" />
            ) : (
              <XIcon className="mt-0.5 size-3.5 shrink-0 text-bad" />
            )}
            <div>
              <code className="font-mono text-xs">{v.requirement}</code>
              <p className="text-xs text-muted-foreground">{v.why}</p>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}

type AppStatus = ReturnType<typeof appStatuses>[number];

/** One app on this host: its version, drift, and the last deploy that touched it. */
export function AppStatusCard({ host, s }: { host: HostView; s: AppStatus }) {
  const last = host.lastDeploys[s.app];
  const drifted = s.drift === 'failed' || s.drift === 'differs';
  return (
    <div className="rounded-md border px-2.5 py-2">
      <div className="flex items-center justify-between gap-2">
        <span className="font-medium">{s.app}</span>
        <code className="font-mono text-xs">{s.version ?? '—'}</code>
      </div>
      <p className={drifted ? 'text-xs text-warn' : 'text-xs text-muted-foreground'}>
        {drifted ? 'Drifted: ' : ''}
        {s.detail}
      </p>
      {last ? (
        <p className="mt-1 flex items-center gap-1.5 text-xs text-muted-foreground">
          <HostStateBadge state={last.state} />
          <Link
            className="text-primary hover:underline"
            href={`/deployments/${encodeURIComponent(last.requestId)}`}
            // a deployment's page is drawn in the browser from the hub: nothing to prefetch
            prefetch={false}
          >
            {shortId(last.requestId)}
          </Link>
          {formatTime(last.at)}
        </p>
      ) : null}
      {host.apps[s.app]?.error ? (
        <p className="text-xs text-bad">{host.apps[s.app]?.error}</p>
      ) : null}
    </div>
  );
}

/** Deploys the hub holds for this host until it comes back or they expire. */
export function PendingDeploys({ host }: { host: HostView }) {
  return (
    <section className="grid gap-1.5">
      <h3 className="text-xs font-medium text-muted-foreground uppercase">Waiting for this host</h3>
      {host.pendingDeploys.map((p) => (
        <Link
          key={p.requestId}
          href={`/deployments/${encodeURIComponent(p.requestId)}`}
          // a deployment's page is drawn in the browser from the hub: nothing to prefetch
          prefetch={false}
          className="flex justify-between rounded-md border px-2.5 py-1.5 text-xs hover:bg-accent"
        >
          <span>
            {p.app} → <code className="font-mono">{p.version}</code>
          </span>
          <Badge tone="warn">expires {formatTime(p.expiresAt)}</Badge>
        </Link>
      ))}
    </section>
  );
}
