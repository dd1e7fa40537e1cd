'use client';
import { PAYLOAD_TYPES, signBytes, signerFor } from '@serfbort/core';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { toast } from 'sonner';
import type { PreparedRequest } from '@/features/deploy/build-request';
import { callWithTimeout } from '@/lib/hub/call';
import { useHub } from '@/lib/hub/hub-context';
import { useSigningKey } from '@/lib/keys/use-signing-key';

/** the hub stores a proposal before it answers, like a deploy */
const PROPOSE_TIMEOUT_MS = 60_000;

/**
 * Signs the prepared bytes in this browser as the first of the app's signatures and hands
 * them to the hub as a proposal; other operators co-sign the same bytes from their inbox.
 */
export function useProposeDeploy(prepared: PreparedRequest | null, onDone: () => void) {
  const { socket } = useHub();
  const { keyPair, refusal: forbidden } = useSigningKey();
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<{ code: string; message: string } | null>(null);

  async function signAndPropose() {
    if (!prepared || !keyPair || !socket) return;
    if (forbidden) {
      setRefusal(forbidden);
      return;
    }
    setBusy(true);
    setRefusal(null);
    // deterministic signature: proposing again after a timeout sends the same envelope
    const envelope = signBytes(PAYLOAD_TYPES.deploy, prepared.bytes, [signerFor(keyPair)]);
    const ack = await callWithTimeout(socket, PROPOSE_TIMEOUT_MS, 'proposal:create', {
      envelope,
    });
    setBusy(false);
    if (!ack.ok) {
      setRefusal(ack.error);
      toast.error(`Proposal refused: ${ack.error.code}`);
      return;
    }
    toast.success('Signed and proposed: waiting for co-signatures');
    onDone();
    // the inbox page judges the proposal from its signatures, whatever status the hub claims
    router.push(`/pending/${encodeURIComponent(prepared.request.id)}`);
  }

  return { busy, refusal, signAndPropose, clearRefusal: () => setRefusal(null) };
}
