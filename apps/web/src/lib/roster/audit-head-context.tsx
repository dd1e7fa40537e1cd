'use client';
import { unservedAudit, verifyHeadExtension } from '@serfbort/client';
import { type AuditHead, type AuditRow, LIMITS } from '@serfbort/core';
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
import { call, type OperatorSocket } from '../hub/call';
import { useHub } from '../hub/hub-context';
import { useRoster } from './roster-context';
import { forgetAuditHead, loadAuditHead, saveAuditHead } from './roster-store';

export type AuditHeadState =
  | { state: 'idle' }
  | { state: 'verified'; hubId: string; head: AuditHead; first: boolean }
  | { state: 'forked'; hubId: string; detail: string; remembered: AuditHead; current: AuditHead }
  /** an older hub serves no head, or this browser's stored head is damaged */
  | { state: 'unchecked'; why: string }
  /** the hub served this browser a head before and now withholds it or the rows after it */
  | { state: 'withheld'; hubId: string; detail: string; remembered: AuditHead }
  /** the hub could not serve it now (its database is away, say): asked again shortly */
  | { state: 'failed'; code: string; detail: string };

export interface AuditHeadApi {
  audit: AuditHeadState;
  /** the state once the check under way (if any) has answered: what signing is judged on */
  settled(): Promise<AuditHeadState>;
  recheck(): Promise<void>;
  /** accepts the hub's history as it is now, on purpose (a hub restored from a backup) */
  forgetHead(): Promise<void>;
}

/** how soon a check the hub could not answer is tried again */
const FAILED_RECHECK_MS = 5_000;

const AuditHeadContext = createContext<AuditHeadApi | null>(null);

class RowsRefused extends Error {
  constructor(readonly refusal: { code: string; message: string }) {
    super(`${refusal.code}: ${refusal.message}`);
  }
}

async function rowsAfter(socket: OperatorSocket, after: number): Promise<readonly AuditRow[]> {
  const ack = await call(socket, 'audit:rows', { after });
  if (!ack.ok) throw new RowsRefused(ack.error);
  return ack.data;
}

async function checkHead(socket: OperatorSocket, hubId: string): Promise<AuditHeadState> {
  const stored = await loadAuditHead(hubId);
  if (!stored.ok)
    return { state: 'unchecked', why: `the stored audit head is damaged (${stored.detail})` };
  const remembered = stored.head;
  const unserved = (refusal: { code: string; message: string }): AuditHeadState => {
    const v = unservedAudit(remembered, refusal);
    if (v.verdict === 'failed') return { state: 'failed', code: refusal.code, detail: v.detail };
    if (v.verdict === 'withheld' && remembered)
      return { state: 'withheld', hubId, detail: v.detail, remembered };
    return { state: 'unchecked', why: v.detail };
  };
  const head = await call(socket, 'audit:head');
  if (!head.ok) return unserved(head.error);
  const current = head.data;
  if (remembered) {
    let verdict: Awaited<ReturnType<typeof verifyHeadExtension>>;
    try {
      verdict = await verifyHeadExtension(
        remembered,
        current,
        (after) => rowsAfter(socket, after),
        LIMITS.auditRowsPerPage,
      );
    } catch (e) {
      if (!(e instanceof RowsRefused)) throw e;
      return unserved(e.refusal);
    }
    if (!verdict.ok) return { state: 'forked', hubId, detail: verdict.detail, remembered, current };
  }
  if (!remembered || remembered.seq !== current.seq || remembered.hash !== current.hash)
    await saveAuditHead(hubId, current);
  return { state: 'verified', hubId, head: current, first: !remembered };
}

/**
 * At every login, as the CLI does at every session: the hub's audit history must extend
 * the head this browser verified last (rows are unsigned; whoever owns the hub's
 * database could rebuild them consistently). A fork is shown with both heads; the new
 * head is remembered only once it verified.
 */
export function AuditHeadProvider({ children }: { children: ReactNode }) {
  const { socket, canRead, session } = useHub();
  // the id first seen at this URL: a hub that renames itself is still held to its old head
  const hubId = useRoster().hub?.id ?? null;
  const [audit, setAudit] = useState<AuditHeadState>({ state: 'idle' });
  // what signing waits for: a hub that stalls the check gains nothing by it
  const latest = useRef<AuditHeadState>(audit);
  const inFlight = useRef<Promise<void> | null>(null);

  const recheck = useCallback(async () => {
    if (!socket || !canRead || !hubId) return;
    const run = (async () => {
      let next: AuditHeadState;
      try {
        next = await checkHead(socket, hubId);
      } catch (e) {
        const why = e instanceof Error ? e.message : String(e);
        next = { state: 'unchecked', why: `the audit head could not be checked here (${why})` };
      }
      latest.current = next;
      setAudit(next);
    })();
    inFlight.current = run;
    try {
      await run;
    } finally {
      if (inFlight.current === run) inFlight.current = null;
    }
  }, [socket, canRead, hubId]);

  const settled = useCallback(async () => {
    while (inFlight.current) await inFlight.current;
    return latest.current;
  }, []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: session marks a new login
  useEffect(() => {
    void recheck();
  }, [recheck, session]);
  // a hub that could not serve its history now is asked again, so signing resumes by itself
  useEffect(() => {
    if (audit.state !== 'failed') return;
    const t = setTimeout(() => void recheck(), FAILED_RECHECK_MS);
    return () => clearTimeout(t);
  }, [audit, recheck]);

  const forgetHead = useCallback(async () => {
    if (!hubId) return;
    await forgetAuditHead(hubId);
    await recheck();
  }, [hubId, recheck]);

  const value = useMemo(
    () => ({ audit, settled, recheck, forgetHead }),
    [audit, settled, recheck, forgetHead],
  );
  return <AuditHeadContext.Provider value={value}>{children}</AuditHeadContext.Provider>;
}

export function useAuditHead(): AuditHeadApi {
  const ctx = useContext(AuditHeadContext);
  if (!ctx) throw new Error('useAuditHead outside AuditHeadProvider');
  return ctx;
}
