'use client';
import type { DeploymentStats } from '@serfbort/core';
import { useEffect, useState } from 'react';
import { call } from '@/lib/hub/call';
import { useHub } from '@/lib/hub/hub-context';

/** The hub's per-app per-day figures for the last `days` days (one app, or every app). */
export function useStats(days: number, app: string | undefined) {
  const { socket, canRead: ready, session } = useHub();
  const [stats, setStats] = useState<DeploymentStats | null>(null);
  const [error, setError] = useState<string | null>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: session marks a new login
  useEffect(() => {
    if (!socket || !ready) return;
    let cancelled = false;
    setStats(null);
    void (async () => {
      const ack = await call(socket, 'deploy:stats', { days, ...(app ? { app } : {}) });
      if (cancelled) return;
      if (ack.ok) {
        setStats(ack.data);
        setError(null);
      } else setError(`${ack.error.code}: ${ack.error.message}`);
    })();
    return () => {
      cancelled = true;
    };
  }, [socket, ready, session, days, app]);
  return { stats, error };
}
