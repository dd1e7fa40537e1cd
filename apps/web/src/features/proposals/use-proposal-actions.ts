'use client';
import { coSign as coSignature, plural } from '@serfbort/client';
import { type ProposalView, signerFor } from '@serfbort/core';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { toast } from 'sonner';
import { callWithTimeout } from '@/lib/hub/call';
import { useHub } from '@/lib/hub/hub-context';
import { useSigningKey } from '@/lib/keys/use-signing-key';
import { judgeProposal, type SoundProposal } from './judge-proposal';
import { trustStateOf } from './target-hosts';
import { useTrustedHosts } from './use-trusted-hosts';

/** completing the threshold submits the deploy before the hub answers */
const SIGN_TIMEOUT_MS = 60_000;

type Refusal = { code: string; message: string };

/**
 * Co-sign and withdraw. The co-signature covers the exact payload bytes this browser
 * verified and showed; the hub's answer is judged again before anything is believed.
 */
export function useProposalActions(proposal: SoundProposal, accept: (v: ProposalView) => void) {
  const { socket, trust } = useHub();
  const hosts = useTrustedHosts();
  const { keyPair, mayNotSign } = useSigningKey();
  const router = useRouter();
  const [busy, setBusy] = useState<'sign' | 'withdraw' | null>(null);
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const requestId = proposal.view.requestId;

  async function coSign() {
    if (!socket || !keyPair) return;
    setBusy('sign');
    setRefusal(null);
    const forbidden = await mayNotSign();
    if (forbidden) {
      setBusy(null);
      setRefusal(forbidden);
      return;
    }
    const signature = coSignature(proposal.verified, signerFor(keyPair));
    const ack = await callWithTimeout(socket, SIGN_TIMEOUT_MS, 'proposal:sign', {
      requestId,
      signature,
    });
    setBusy(null);
    if (!ack.ok) {
      setRefusal(ack.error);
      toast.error(`Co-signature refused: ${ack.error.code}`);
      return;
    }
    accept(ack.data);
    // the live page believes nothing but receipts; here, only a complete set of genuine
    // signatures is worth leaving the review for
    const after = judgeProposal(ack.data, trustStateOf(trust), Date.now(), hosts);
    if (!after.ok) return;
    if (after.verified.missing === 0 && after.verified.claimedStatus === 'submitted') {
      toast.success('Co-signed: the threshold is met and the deploy is on its way');
      router.push(`/deployments/${encodeURIComponent(requestId)}`);
    } else if (after.verified.missing > 0)
      toast.success(`Co-signed: ${plural(after.verified.missing, 'more signature')} needed`);
    else toast.success('Co-signed: every signature is there; waiting for the hub to submit it');
  }

  async function withdraw() {
    if (!socket) return;
    setBusy('withdraw');
    setRefusal(null);
    const ack = await callWithTimeout(socket, SIGN_TIMEOUT_MS, 'proposal:withdraw', {
      requestId,
    });
    setBusy(null);
    if (!ack.ok) {
      setRefusal(ack.error);
      toast.error(`Withdrawal refused: ${ack.error.code}`);
      return;
    }
    accept(ack.data);
    toast.success('Proposal withdrawn');
  }

  return { busy, refusal, coSign, withdraw };
}
