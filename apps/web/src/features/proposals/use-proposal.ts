'use client';
import type { ProposalView } from '@serfbort/core';
import { useEffect, useMemo, useState } from 'react';
import { call } from '@/lib/hub/call';
import { useHub } from '@/lib/hub/hub-context';
import { type JudgedProposal, judgeProposal } from './judge-proposal';
import { useProposals } from './proposals-context';

/**
 * One proposal, whatever its status: `proposal:get` after every login and again whenever
 * the hub pushes a change to it, judged in this browser on every answer.
 */
export function useProposal(requestId: string) {
  const { socket, canRead, session, trust } = useHub();
  const { onChange, now } = useProposals();
  const [view, setView] = useState<ProposalView | null>(null);
  const [error, setError] = useState<{ code: string; message: string } | null>(null);
  const [nonce, setNonce] = useState(0);

  useEffect(
    () =>
      onChange((c) => {
        if (c.requestId === requestId) setNonce((n) => n + 1);
      }),
    [onChange, requestId],
  );

  // biome-ignore lint/correctness/useExhaustiveDependencies: session and nonce ask again
  useEffect(() => {
    if (!socket || !canRead) return;
    let cancelled = false;
    void call(socket, 'proposal:get', { requestId }).then((ack) => {
      if (cancelled) return;
      if (ack.ok) {
        setView(ack.data);
        setError(null);
      } else setError(ack.error);
    });
    return () => {
      cancelled = true;
    };
  }, [socket, canRead, session, requestId, nonce]);

  const keyring = trust?.keyring ?? null;
  const judged = useMemo<JudgedProposal | null>(
    () => (view ? judgeProposal(view, keyring, now) : null),
    [view, keyring, now],
  );
  /** an action's answer is a newer view of the same proposal */
  const accept = (next: ProposalView) => {
    if (next.requestId === requestId) setView(next);
  };
  return { judged, error, accept };
}
