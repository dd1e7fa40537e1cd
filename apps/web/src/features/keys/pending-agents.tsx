'use client';
import type { PendingAgent } from '@serfbort/core';
import { fingerprintOf, tryFromBase64 } from '@serfbort/core';
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
      <div className="flex items-center justify-end gap-2">
        {canSign ? null : (
          <p className="mr-auto text-xs text-muted-foreground" data-testid="approve-needs-key">
            Read-only: approving signs with an unlocked operator key.
          </p>
        )}
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
          fingerprint <span data-testid="pending-fingerprint">{fingerprintFromKey(a)}</span> · first
          seen {ago(a.firstSeen)} · apps {a.apps.join(', ') || '—'}
        </p>
        <div className="mt-1 flex flex-wrap items-center gap-1" data-testid="pending-labels">
          <span className="text-xs text-muted-foreground">approving labels</span>
          {Object.entries(a.labels).map(([k, v]) => (
            <LabelChip key={k} k={k} v={v} />
          ))}
        </div>
        {a.approvedLabels && (
          <p className="mt-1 text-xs text-amber-600" data-testid="labels-changed">
            labels changed — needs approval (approved today:{' '}
            {Object.entries(a.approvedLabels)
              .map(([k, v]) => (v ? `${k}=${v}` : k))
              .join(', ') || 'none'}
            )
          </p>
        )}
      </div>
      <Button
        size="sm"
        disabled={disabled}
        onClick={onApprove}
        title="Approve only if this fingerprint is the one the agent printed (serfbort-agent status on the host): your signature vouches for this key, name and labels"
      >
        <CheckIcon />
        {signing ? 'Signing…' : 'Approve'}
      </Button>
    </li>
  );
}

/** The fingerprint of the key itself: the hub's listing of it is not evidence. */
function fingerprintFromKey(a: PendingAgent): string {
  const raw = tryFromBase64(a.publicKey);
  return raw?.length === 32 ? fingerprintOf(raw) : 'invalid key';
}
