'use client';
import { PAYLOAD_TYPES, type PendingAgent, signerFor, signPayload } from '@serfbort/core';
import { useCallback, useEffect, useState } from 'react';
import { toast } from 'sonner';
import { call } from '@/lib/hub/call';
import { useHub } from '@/lib/hub/hub-context';
import { useKey } from '@/lib/keys/key-context';

/** The hub's pending agents, polled, and approving one with a signature made here. */
export function usePendingAgents() {
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

  return { ready, canSign: keyPair !== null, agents, busy, load, approve };
}
