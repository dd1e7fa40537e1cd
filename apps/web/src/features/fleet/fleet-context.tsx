'use client';
import type { HostView } from '@serfbort/core';
import {
  createContext,
  type ReactNode,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { call } from '@/lib/hub/call';
import { useHub } from '@/lib/hub/hub-context';

export interface FleetState {
  hosts: HostView[];
  byName: ReadonlyMap<string, HostView>;
  loaded: boolean;
  error: string | null;
}

const FleetContext = createContext<FleetState | null>(null);

/** Changes are applied in batches at most this often, so a busy fleet cannot flood React. */
const FLUSH_MS = 250;

/**
 * The fleet as the hub reports it: one `hosts:list`, then `hosts:changed` pushes. Kept
 * above the pages so switching pages does not re-download ten thousand hosts.
 */
export function FleetProvider({ children }: { children: ReactNode }) {
  const { socket, canRead: ready, session } = useHub();
  const map = useRef(new Map<string, HostView>());
  const [version, setVersion] = useState(0);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<string | null>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: session marks a new login
  useEffect(() => {
    if (!socket || !ready) return;
    let pending: HostView[] = [];
    let timer: ReturnType<typeof setTimeout> | undefined;
    const flush = () => {
      timer = undefined;
      for (const h of pending) map.current.set(h.name, h);
      pending = [];
      setVersion((n) => n + 1);
    };
    const onChanged = (host: HostView) => {
      pending.push(host);
      timer ??= setTimeout(flush, FLUSH_MS);
    };
    socket.on('hosts:changed', onChanged);
    let cancelled = false;
    void (async () => {
      const sub = await call(socket, 'hosts:subscribe');
      const list = await call(socket, 'hosts:list', {});
      if (cancelled) return;
      if (!list.ok) {
        setError(`${list.error.code}: ${list.error.message}`);
        return;
      }
      if (!sub.ok) setError(`live updates unavailable (${sub.error.code})`);
      else setError(null);
      map.current = new Map(list.data.map((h) => [h.name, h]));
      for (const h of pending) map.current.set(h.name, h);
      pending = [];
      setLoaded(true);
      setVersion((n) => n + 1);
    })();
    return () => {
      cancelled = true;
      clearTimeout(timer);
      socket.off('hosts:changed', onChanged);
    };
  }, [socket, ready, session]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: version marks a changed map
  const value = useMemo<FleetState>(() => {
    const byName = new Map(map.current);
    return { hosts: [...byName.values()], byName, loaded, error };
  }, [version, loaded, error]);
  return <FleetContext.Provider value={value}>{children}</FleetContext.Provider>;
}

export function useFleet(): FleetState {
  const ctx = useContext(FleetContext);
  if (!ctx) throw new Error('useFleet outside FleetProvider');
  return ctx;
}
