'use client';
import { mayCoSign } from '@serfbort/client';
import type { ProposalChange, ProposalView } from '@serfbort/core';
import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { call } from '@/lib/hub/call';
import { useHub } from '@/lib/hub/hub-context';
import { type JudgedProposal, judgeProposal } from './judge-proposal';
import { trustStateOf } from './target-hosts';
import { useTrustedHosts } from './use-trusted-hosts';

export interface ProposalsState {
  /** the hub's open proposals, newest first, each judged in this browser */
  open: JudgedProposal[];
  loaded: boolean;
  error: string | null;
  /** calls fn on every `proposal:changed` push; returns the unsubscribe */
  onChange(fn: (change: ProposalChange) => void): () => void;
  /** the clock the judgements used, re-read every minute so expiry shows without a reload */
  now: number;
}

const ProposalsContext = createContext<ProposalsState | null>(null);
/** each judgement verifies Ed25519 signatures in JavaScript: not more often than this */
const TICK_MS = 60_000;

/**
 * The inbox: `proposal:list` of open proposals after every login and again on every
 * `proposal:changed` push. Kept above the pages so the navigation's count stays live.
 * The hub's list is only a list of candidates: each one is judged here, from its envelope.
 */
export function ProposalsProvider({ children }: { children: ReactNode }) {
  const { socket, canRead, session, trust } = useHub();
  const hosts = useTrustedHosts();
  const [views, setViews] = useState<ProposalView[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const listeners = useRef(new Set<(c: ProposalChange) => void>());

  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), TICK_MS);
    return () => clearInterval(t);
  }, []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: session marks a new login
  useEffect(() => {
    if (!socket || !canRead) {
      setViews([]);
      setLoaded(false);
      return;
    }
    let cancelled = false;
    let generation = 0;
    const load = async () => {
      const mine = ++generation;
      const list = await call(socket, 'proposal:list', { status: 'open' });
      // a slower, older answer must not replace a newer one
      if (cancelled || mine !== generation) return;
      if (!list.ok) {
        setError(`${list.error.code}: ${list.error.message}`);
        return;
      }
      setError(null);
      setViews(list.data);
      setLoaded(true);
      setNow(Date.now());
    };
    const onChanged = (change: ProposalChange) => {
      void load();
      for (const l of listeners.current) l(change);
    };
    socket.on('proposal:changed', onChanged);
    void load();
    return () => {
      cancelled = true;
      socket.off('proposal:changed', onChanged);
    };
  }, [socket, canRead, session]);

  const onChange = useCallback((fn: (c: ProposalChange) => void) => {
    listeners.current.add(fn);
    return () => {
      listeners.current.delete(fn);
    };
  }, []);

  const state = useMemo(() => trustStateOf(trust), [trust]);
  const open = useMemo(
    () => views.map((v) => judgeProposal(v, state, now, hosts)),
    [views, state, now, hosts],
  );
  const value = useMemo<ProposalsState>(
    () => ({ open, loaded, error, onChange, now }),
    [open, loaded, error, onChange, now],
  );
  return <ProposalsContext.Provider value={value}>{children}</ProposalsContext.Provider>;
}

export function useProposals(): ProposalsState {
  const ctx = useContext(ProposalsContext);
  if (!ctx) throw new Error('useProposals outside ProposalsProvider');
  return ctx;
}

/**
 * What the navigation counts: open proposals that verify here and that this key could
 * sign (client's mayCoSign); for a viewer, every open one.
 */
export function waitingCount(open: readonly JudgedProposal[], keyId: string | null): number {
  return open.filter(
    (p) => p.ok && p.status === 'open' && (keyId === null || mayCoSign(p.verified, keyId).ok),
  ).length;
}
