'use client';
import type { PendingAgent } from '@serfbort/core';
import { CheckIcon, RefreshCwIcon } from 'lucide-react';
import { LabelChip } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { ago } from '@/lib/utils';
import { usePendingAgents } from './use-pending-agents';

/** Agents whose keys wait for an operator's word; approving signs that word here. */
export function PendingAgents() {
  const { ready, canSign, agents, busy, load, approve } = usePendingAgents();
  if (!ready)
    return (
      <p className="text-sm text-muted-foreground">Sign in to see agents waiting for approval.</p>
    );
  if (agents === null) return <p className="text-sm text-muted-foreground">Loading…</p>;
  return (
    <div className="grid gap-2">
      <div className="flex justify-end">
        <Button variant="ghost" size="xs" onClick={load}>
          <RefreshCwIcon />
          Refresh
        </Button>
      </div>
      {agents.length === 0 ? (
        <p className="text-sm text-muted-foreground" data-testid="no-pending-agents">
          No agents are waiting for approval.
        </p>
      ) : (
        <ul className="divide-y rounded-md border">
          {agents.map((a) => (
            <PendingAgentRow
              key={a.keyId}
              a={a}
              disabled={!canSign || busy !== null}
              signing={busy === a.keyId}
              onApprove={() => approve(a)}
            />
          ))}
        </ul>
      )}
    </div>
  );
}

function PendingAgentRow({
  a,
  disabled,
  signing,
  onApprove,
}: {
  a: PendingAgent;
  disabled: boolean;
  signing: boolean;
  onApprove: () => void;
}) {
  return (
    <li className="flex flex-wrap items-center gap-3 px-3 py-2.5" data-testid="pending-agent">
      <div className="min-w-0 flex-1">
        <p className="font-medium">{a.name}</p>
        <p className="font-mono text-xs text-muted-foreground">
          {a.fingerprint} · first seen {ago(a.firstSeen)} · apps {a.apps.join(', ') || '—'}
        </p>
        <div className="mt-1 flex flex-wrap gap-1">
          {Object.entries(a.labels).map(([k, v]) => (
            <LabelChip key={k} k={k} v={v} />
          ))}
        </div>
      </div>
      <Button
        size="sm"
        disabled={disabled}
        onClick={onApprove}
        title="Compare the fingerprint with the one the agent printed at start-up"
      >
        <CheckIcon />
        {signing ? 'Signing…' : 'Approve'}
      </Button>
    </li>
  );
}
