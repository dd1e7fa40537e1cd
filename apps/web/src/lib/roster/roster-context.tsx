'use client';
import { type FleetMemory, forget, recallFleet } from '@serfbort/client';
import type { AgentKeyRecord } from '@serfbort/core';
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
import { call } from '../hub/call';
import { useHub } from '../hub/hub-context';
import type { TrustView } from '../trust/verify-trust';
import { rosterVerifier } from './memo-verifier';
import { heldHubId, loadRoster, saveReceiptHead, saveRoster } from './roster-store';

export type RosterState =
  /** no login yet, or no trust verified in this browser: nothing to compare with */
  | { state: 'off'; why: string }
  | { state: 'damaged'; hubId: string; detail: string }
  | { state: 'ready'; hubId: string; memory: FleetMemory };

/** The hub id this browser holds the hub at this URL to, and the one it presents now. */
export interface HeldHub {
  id: string;
  presented: string;
  /** set when the hub now presents another id than the one first seen at its URL */
  changedFrom?: string;
}

export interface RosterApi {
  roster: RosterState;
  /** null until logged in */
  hub: HeldHub | null;
  /** removes a decommissioned host on purpose; false when the roster did not hold it */
  forgetHost(host: string): Promise<boolean>;
  refresh(): Promise<void>;
}

const RosterContext = createContext<RosterApi | null>(null);

/** Trust this browser verified from its root pin, current enough to vouch for hosts. */
function usableTrust(trust: TrustView | null) {
  if (!trust?.root || !trust.keyring || !trust.pinnedDigest) return undefined;
  if (trust.status !== 'ok' && trust.status !== 'expiring') return undefined;
  return {
    keyring: trust.keyring,
    seen: { root: trust.root.root.version, keyring: trust.keyring.keyring.version },
    // the browser pins the first root it sees per hub URL: that pin anchors every check
    pinned: true,
  };
}

/**
 * What this browser remembers of the hub's fleet: every approval (or enrollment grant)
 * it verified against the keyring verified here, kept per hub id in IndexedDB by the
 * client package's rules. A hub can then leave a host out of an answer, or stop
 * presenting its approval, but not make the dashboard forget it.
 */
export function RosterProvider({
  children,
  approvedHosts,
}: {
  children: ReactNode;
  /** changes when the hub's fleet gains or loses an approved host: re-read the approvals */
  approvedHosts: string;
}) {
  const { socket, canRead, session, hubId: presented, hubUrl, trust } = useHub();
  const [roster, setRoster] = useState<RosterState>({ state: 'off', why: 'not logged in' });
  const records = useRef<AgentKeyRecord[]>([]);
  const usable = useMemo(() => usableTrust(trust), [trust]);
  const [hub, setHub] = useState<HeldHub | null>(null);
  const hubId = hub?.id ?? null;

  // only trust verified here may make an id the one a URL is held to, as it may the roster
  const remember = usable !== undefined;
  useEffect(() => {
    setHub(null);
    if (!presented) return;
    let cancelled = false;
    void heldHubId(hubUrl, presented, remember).then((held) => {
      if (!cancelled) setHub({ ...held, presented });
    });
    return () => {
      cancelled = true;
    };
  }, [hubUrl, presented, remember]);

  const recall = useCallback(async () => {
    if (!hubId || !usable) return;
    const held = await loadRoster(hubId);
    if (!held.ok) return setRoster({ state: 'damaged', hubId, detail: held.detail });
    const { memory, store } = recallFleet(held.roster, records.current, usable, rosterVerifier);
    if (store) await saveRoster(store);
    setRoster({ state: 'ready', hubId, memory });
  }, [hubId, usable]);

  const refresh = useCallback(async () => {
    if (!socket || !canRead || !hubId) return;
    if (!usable) {
      setRoster({ state: 'off', why: 'no trust verified in this browser' });
      return;
    }
    const ack = await call(socket, 'agents:keys');
    // without the hub's records nothing can be compared: stay as we were
    if (!ack.ok) return;
    records.current = ack.data;
    await recall();
  }, [socket, canRead, hubId, usable, recall]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: session and approvedHosts mark news
  useEffect(() => {
    const t = setTimeout(() => void refresh(), 300);
    return () => clearTimeout(t);
  }, [refresh, session, approvedHosts]);

  const forgetHost = useCallback(
    async (host: string) => {
      if (!hubId) return false;
      const held = await loadRoster(hubId);
      if (!held.ok) return false;
      const { roster: next, removed } = forget(held.roster, host);
      if (removed) await saveRoster(next);
      // its receipt head too: a reinstalled host may start its chain again
      if (removed) await saveReceiptHead(hubId, host, undefined);
      await recall();
      return removed;
    },
    [hubId, recall],
  );

  const value = useMemo(
    () => ({ roster, hub, forgetHost, refresh }),
    [roster, hub, forgetHost, refresh],
  );
  return <RosterContext.Provider value={value}>{children}</RosterContext.Provider>;
}

export function useRoster(): RosterApi {
  const ctx = useContext(RosterContext);
  if (!ctx) throw new Error('useRoster outside RosterProvider');
  return ctx;
}
