'use client';
import { PAYLOAD_TYPES, type PendingAgent, signerFor, signPayload } from '@serfbort/core';
import { CheckIcon, RefreshCwIcon } from 'lucide-react';
import { useCallback, useEffect, useState } from 'react';
import { toast } from 'sonner';
import { LabelChip } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { call } from '@/lib/hub/call';
import { useHub } from '@/lib/hub/hub-context';
import { useKey } from '@/lib/keys/key-context';
import { ago } from '@/lib/utils';

/** Agents whose keys wait for an operator's word; approving signs that word here. */
export function PendingAgents() {
  const { socket, ready, session } = useHub();
  const { keyPair } = useKey();
  const [agents, setAgents] = useState<PendingAgent[] | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const load = useCallback(async () => {
    if (!socket || !ready) return;
    const ack = await call(socket, 'agents:pending');
    if (ack.ok) setAgents(ack.data);
    else toast.error(`Could not list pending agents: ${ack.error.code}`);
  }, [socket, ready]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: session marks a new login
  useEffect(() => {
    void load();
    const t = setInterval(load, 10_000);
    return () => clearInterval(t);
  }, [load, session]);

  async function approve(agent: PendingAgent) {
    if (!socket || !keyPair) return;
    setBusy(agent.keyId);
    const approval = {
      type: 'approval',
      host: agent.name,
      agentKeyId: agent.keyId,
      agentPublicKey: agent.publicKey,
      approvedAt: Date.now(),
    };
    const envelope = signPayload(PAYLOAD_TYPES.approval, approval, [signerFor(keyPair)]);
    const ack = await call(socket, 'agents:approve', envelope);
    setBusy(null);
    if (ack.ok) {
      toast.success(`Approved ${ack.data.host}`);
      void load();
    } else toast.error(`Approval refused: ${ack.error.code} — ${ack.error.message}`);
  }

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
            <li
              key={a.keyId}
              className="flex flex-wrap items-center gap-3 px-3 py-2.5"
              data-testid="pending-agent"
            >
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
                disabled={!keyPair || busy !== null}
                onClick={() => approve(a)}
                title="Compare the fingerprint with the one the agent printed at start-up"
              >
                <CheckIcon />
                {busy === a.keyId ? 'Signing…' : 'Approve'}
              </Button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
