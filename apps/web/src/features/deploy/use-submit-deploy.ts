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

/** a busy hub stores the request and its hosts before it answers */
const SUBMIT_TIMEOUT_MS = 60_000;

/** Signs the prepared bytes in this browser, submits them, and opens the live view. */
export function useSubmitDeploy(prepared: PreparedRequest | null, onDone: () => void) {
  const { socket } = useHub();
  const { keyPair, refusal: forbidden } = useSigningKey();
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<{ code: string; message: string } | null>(null);

  async function signAndSubmit() {
    if (!prepared || !keyPair || !socket) return;
    if (forbidden) {
      setRefusal(forbidden);
      return;
    }
    setBusy(true);
    setRefusal(null);
    // the same bytes always sign to the same envelope (Ed25519 is deterministic), and the
    // hub treats a resubmission of the same id and bytes as a retry: "Sign and deploy"
    // after a timeout cannot create a second deployment
    const envelope = signBytes(PAYLOAD_TYPES.deploy, prepared.bytes, [signerFor(keyPair)]);
    const ack = await callWithTimeout(socket, SUBMIT_TIMEOUT_MS, 'deploy:submit', envelope);
    setBusy(false);
    if (!ack.ok) {
      setRefusal(ack.error);
      toast.error(`Deploy refused: ${ack.error.code}`);
      return;
    }
    toast.success(`Signed and submitted to ${plural(ack.data.hosts.length, 'host')}`);
    onDone();
    router.push(`/deployments/${encodeURIComponent(prepared.request.id)}`);
  }

  return { busy, refusal, signAndSubmit, clearRefusal: () => setRefusal(null) };
}
