'use client';
import { plural } from '@serfbort/client';
import { PAYLOAD_TYPES, signBytes, signerFor } from '@serfbort/core';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { toast } from 'sonner';
import { callWithTimeout } from '@/lib/hub/call';
import { useHub } from '@/lib/hub/hub-context';
import { useSigningKey } from '@/lib/keys/use-signing-key';
import type { PreparedRequest } from './build-request';

/** a busy hub stores the request (or the proposal) and its hosts before it answers */
const SEND_TIMEOUT_MS = 60_000;

/**
 * Signs the prepared bytes in this browser and hands them to the hub: submitted to the
 * hosts, or, for an app that needs more signatures than this key's, proposed, so that
 * other operators co-sign the same bytes from their inbox. Then opens the live view (or
 * the proposal). The same bytes always sign to the same envelope (Ed25519 is
 * deterministic), and the hub takes a resubmission of the same id and bytes as a retry:
 * signing again after a timeout cannot create a second deployment or proposal.
 */
export function useSendSignedRequest(
  prepared: PreparedRequest | null,
  propose: boolean,
  onDone: () => void,
) {
  const { socket } = useHub();
  const { keyPair, mayNotSign } = useSigningKey();
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<{ code: string; message: string } | null>(null);

  async function signAndSend() {
    if (!prepared || !keyPair || !socket) return;
    setBusy(true);
    setRefusal(null);
    const forbidden = await mayNotSign();
    if (forbidden) {
      setBusy(false);
      setRefusal(forbidden);
      return;
    }
    const envelope = signBytes(PAYLOAD_TYPES.deploy, prepared.bytes, [signerFor(keyPair)]);
    const id = encodeURIComponent(prepared.request.id);
    if (propose) {
      const ack = await callWithTimeout(socket, SEND_TIMEOUT_MS, 'proposal:create', { envelope });
      setBusy(false);
      if (!ack.ok) return refused('Proposal', ack.error);
      toast.success('Signed and proposed: waiting for co-signatures');
      onDone();
      // the inbox page judges the proposal from its signatures, whatever status the hub claims
      router.push(`/pending/${id}`);
      return;
    }
    const ack = await callWithTimeout(socket, SEND_TIMEOUT_MS, 'deploy:submit', envelope);
    setBusy(false);
    if (!ack.ok) return refused('Deploy', ack.error);
    toast.success(`Signed and submitted to ${plural(ack.data.hosts.length, 'host')}`);
    onDone();
    router.push(`/deployments/${id}`);
  }

  function refused(what: string, error: { code: string; message: string }) {
    setRefusal(error);
    toast.error(`${what} refused: ${error.code}`);
  }

  return { busy, refusal, signAndSend, clearRefusal: () => setRefusal(null) };
}
