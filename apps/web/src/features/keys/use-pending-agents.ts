'use client';
import {
  type ApprovalV2,
  currentPayloadType,
  keyIdOf,
  type PendingAgent,
  signerFor,
  signPayload,
  tryFromBase64,
} from '@serfbort/core';
import { useCallback, useEffect, useState } from 'react';
import { toast } from 'sonner';
import { call } from '@/lib/hub/call';
import { useHub } from '@/lib/hub/hub-context';
import { useSigningKey } from '@/lib/keys/use-signing-key';

/** The hub's pending agents, polled, and approving one with a signature made here. */
export function usePendingAgents() {
  const { socket, canRead: ready, session } = useHub();
  const { keyPair, mayNotSign } = useSigningKey();
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
    const forbidden = await mayNotSign();
    if (forbidden) {
      toast.error(`Approval refused: ${forbidden.code} — ${forbidden.message}`);
      return;
    }
    const publicKey = tryFromBase64(agent.publicKey);
    if (!publicKey) {
      toast.error(`${agent.name}'s key is not base64`);
      return;
    }
    setBusy(agent.keyId);
    // v2: the signature covers the labels shown, and the key id is computed here, not taken from the hub
    const approval: ApprovalV2 = {
      type: 'approval',
      host: agent.name,
      agentKeyId: keyIdOf(publicKey),
      agentPublicKey: agent.publicKey,
      approvedAt: Date.now(),
      labels: agent.labels,
    };
    const envelope = signPayload(currentPayloadType('approval'), approval, [signerFor(keyPair)]);
    const ack = await call(socket, 'agents:approve', envelope);
    setBusy(null);
    if (ack.ok) {
      toast.success(`Approved ${ack.data.host}`);
      void load();
    } else toast.error(`Approval refused: ${ack.error.code} — ${ack.error.message}`);
  }

  return { ready, canSign: keyPair !== null, agents, busy, load, approve };
}
