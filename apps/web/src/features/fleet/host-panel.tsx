'use client';
import { explainMatch, type HostView, type ParseResult } from '@serfbort/core';
import { CheckIcon, XIcon } from 'lucide-react';
import Link from 'next/link';
import { Badge, LabelChip } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { HostStateBadge, PresenceDot } from '@/components/ui/state-badge';
import { ago, formatTime, shortId } from '@/lib/utils';
import { appStatuses } from './drift';

/** One host in full, and — with a selector — why it matches or not, requirement by requirement. */
export function HostPanel({
  host,
  selector,
  onClose,
}: {
  host: HostView;
  selector: ParseResult | null;
  onClose: () => void;
}) {
  const verdicts = selector?.ok ? explainMatch(selector.selector, host.labels) : null;
  const matches = verdicts?.every((v) => v.matched);
  return (
    <aside
      className="flex w-[22rem] shrink-0 flex-col overflow-auto rounded-lg border bg-card"
      data-testid="host-panel"
    >
      <header className="flex items-start justify-between gap-2 border-b px-4 py-3">
        <div>
          <p className="flex items-center gap-2 font-semibold">
            <PresenceDot state={host.state} />
            {host.name}
          </p>
          <p className="text-xs text-muted-foreground">
            {host.state === 'online'
              ? `online${host.hub ? ` via ${host.hub}` : ''}`
              : `${host.state}, last seen ${ago(host.lastSeen)}`}{' '}
            · agent {host.agentVersion}
          </p>
        </div>
        <Button variant="ghost" size="icon" onClick={onClose} aria-label="Close details">
          <XIcon />
        </Button>
      </header>
      <div className="grid gap-4 p-4 text-sm">
        {verdicts ? (
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
        ) : null}
        <section className="grid gap-1.5">
          <h3 className="text-xs font-medium text-muted-foreground uppercase">Labels</h3>
          <div className="flex flex-wrap gap-1">
            {Object.keys(host.labels).length === 0 ? (
              <span className="text-muted-foreground">none</span>
            ) : null}
            {Object.entries(host.labels).map(([k, v]) => (
              <LabelChip key={k} k={k} v={v} />
            ))}
          </div>
        </section>
        <section className="grid gap-1.5">
          <h3 className="text-xs font-medium text-muted-foreground uppercase">Apps</h3>
          {appStatuses(host).map((s) => {
            const last = host.lastDeploys[s.app];
            return (
              <div key={s.app} className="rounded-md border px-2.5 py-2">
                <div className="flex items-center justify-between gap-2">
                  <span className="font-medium">{s.app}</span>
                  <code className="font-mono text-xs">{s.version ?? '—'}</code>
                </div>
                <p
                  className={
                    s.drift === 'failed' || s.drift === 'differs'
                      ? 'text-xs text-warn'
                      : 'text-xs text-muted-foreground'
                  }
                >
                  {s.drift === 'failed' || s.drift === 'differs' ? 'Drifted: ' : ''}
                  {s.detail}
                </p>
                {last ? (
                  <p className="mt-1 flex items-center gap-1.5 text-xs text-muted-foreground">
                    <HostStateBadge state={last.state} />
                    <Link
                      className="text-primary hover:underline"
                      href={`/deployments/${encodeURIComponent(last.requestId)}`}
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
          })}
        </section>
        {host.pendingDeploys.length > 0 ? (
          <section className="grid gap-1.5">
            <h3 className="text-xs font-medium text-muted-foreground uppercase">
              Waiting for this host
            </h3>
            {host.pendingDeploys.map((p) => (
              <Link
                key={p.requestId}
                href={`/deployments/${encodeURIComponent(p.requestId)}`}
                className="flex justify-between rounded-md border px-2.5 py-1.5 text-xs hover:bg-accent"
              >
                <span>
                  {p.app} → <code className="font-mono">{p.version}</code>
                </span>
                <Badge tone="warn">expires {formatTime(p.expiresAt)}</Badge>
              </Link>
            ))}
          </section>
        ) : null}
        <p className="font-mono text-[11px] text-muted-foreground">agent key {host.keyId}</p>
      </div>
    </aside>
  );
}
