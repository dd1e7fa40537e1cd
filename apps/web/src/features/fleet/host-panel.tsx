'use client';
import { explainMatch, type HostView, type ParseResult } from '@serfbort/core';
import { XIcon } from 'lucide-react';
import { LabelChip } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { PresenceDot } from '@/components/ui/state-badge';
import { ago } from '@/lib/utils';
import { ChainStatus } from './chain-status';
import { appStatuses } from './drift';
import {
  AppStatusCard,
  HostProblems,
  MatchExplanation,
  PendingDeploys,
} from './host-panel-sections';

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
        <HostProblems host={host} />
        {verdicts ? <MatchExplanation verdicts={verdicts} /> : null}
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
          {appStatuses(host).map((s) => (
            <AppStatusCard key={s.app} host={host} s={s} />
          ))}
        </section>
        {host.pendingDeploys.length > 0 ? <PendingDeploys host={host} /> : null}
        {host.approved ? <ChainStatus host={host.name} online={host.state === 'online'} /> : null}
        <p className="font-mono text-[11px] text-muted-foreground">agent key {host.keyId}</p>
      </div>
    </aside>
  );
}
