'use client';
import type { RolloutView } from '@serfbort/core';
import { useEffect, useState } from 'react';
import { call } from '@/lib/hub/call';
import { useHub } from '@/lib/hub/hub-context';
import { useRolloutDriver } from './rollout-driver';

/** `rollout:watch` once (again after every login), then the pushes the feed collects. */
export function useRollout(id: string): {
  view: RolloutView | null;
  error: { code: string; message: string } | null;
} {
  const { socket, canRead: ready, session } = useHub();
  const { feed } = useRolloutDriver();
  const [view, setView] = useState<RolloutView | null>(() => feed.get(id) ?? null);
  const [error, setError] = useState<{ code: string; message: string } | null>(null);
  const [nonce, setNonce] = useState(0);
  const lockExpiry = view?.lock?.expiresAt;

  // the hub pushes nothing when a lock lapses: ask again then, to show `expired` (and Resume here)
  useEffect(() => {
    if (lockExpiry === undefined) return;
    const t = setTimeout(
      () => setNonce((n) => n + 1),
      Math.max(0, lockExpiry - Date.now()) + 1_000,
    );
    return () => clearTimeout(t);
  }, [lockExpiry]);

  useEffect(() => feed.listen((v) => v.id === id && setView(feed.get(id) ?? v)), [feed, id]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: session marks a new login, nonce a lapsed lock
  useEffect(() => {
    if (!socket || !ready) return;
    let cancelled = false;
    void call(socket, 'rollout:watch', { id }).then((ack) => {
      if (cancelled) return;
      if (!ack.ok) {
        setError(ack.error);
        return;
      }
      setError(null);
      feed.put(ack.data);
      setView(feed.get(id) ?? ack.data);
    });
    return () => {
      cancelled = true;
    };
  }, [socket, ready, session, id, feed, nonce]);
  return { view, error };
}
