'use client';
import type { DeploymentView, ProposalView } from '@serfbort/core';
import { useEffect, useMemo, useState } from 'react';
import { call } from '@/lib/hub/call';
import { useHub } from '@/lib/hub/hub-context';
import { type JudgedProposal, judgeProposal } from './judge-proposal';
import { useProposals } from './proposals-context';
import { trustStateOf } from './target-hosts';
import { useTrustedHosts } from './use-trusted-hosts';

/**
 * One proposal, whatever its status: `proposal:get` after every login and again whenever
 * the hub pushes a change to it, judged in this browser on every answer. A `submitted`
 * claim is believed only once the hub serves the deployment with the same bytes.
 */
export function useProposal(requestId: string) {
  const { socket, canRead, session, trust } = useHub();
  const hosts = useTrustedHosts();
  const { onChange, now } = useProposals();
  const [view, setView] = useState<ProposalView | null>(null);
  const [deployment, setDeployment] = useState<DeploymentView | null | undefined>(undefined);
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

  const claimsSubmitted = view?.status === 'submitted';
  useEffect(() => {
    if (!socket || !claimsSubmitted) return setDeployment(undefined);
    let cancelled = false;
    void call(socket, 'deploy:watch', { requestId }).then((ack) => {
      if (cancelled) return;
      setDeployment(ack.ok ? ack.data : null);
      // the live page watches it; this page only needed the evidence
      if (ack.ok) void call(socket, 'deploy:unwatch', { requestId });
    });
    return () => {
      cancelled = true;
    };
  }, [socket, claimsSubmitted, requestId]);

  const state = useMemo(() => trustStateOf(trust), [trust]);
  const judged = useMemo<JudgedProposal | null>(
    () => (view ? judgeProposal(view, state, now, hosts, deployment) : null),
    [view, state, now, hosts, deployment],
  );
  /** an action's answer is a newer view of the same proposal */
  const accept = (next: ProposalView) => {
    if (next.requestId === requestId) setView(next);
  };
  return { judged, error, accept };
}
