'use client';
import type { DeploymentSummary } from '@serfbort/core';
import { nextCursor } from '@serfbort/core';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { toast } from 'sonner';
import { call } from '@/lib/hub/call';
import { useHub } from '@/lib/hub/hub-context';
import { filtersKey, type HistoryFilters, toListQuery } from './history-query';

const PAGE = 100;

/**
 * The hub's deployments matching the filters, newest first, a page at a time: the hub
 * filters and pages (a cursor), so a search covers every deployment, not one page.
 */
export function useHistory(filters: HistoryFilters) {
  const { socket, canRead: ready, session } = useHub();
  const [items, setItems] = useState<DeploymentSummary[] | null>(null);
  const [cursor, setCursor] = useState<string | undefined>();
  const [loading, setLoading] = useState(false);
  const key = filtersKey(filters);
  /** the filters of the newest load: an older answer arriving late is dropped */
  const current = useRef(key);
  const anchor = useRef(Date.now());

  // biome-ignore lint/correctness/useExhaustiveDependencies: key stands for the filters
  const load = useCallback(
    async (after?: string) => {
      if (!socket || !ready) return;
      const asked = key;
      if (!after) anchor.current = Date.now();
      setLoading(true);
      const ack = await call(socket, 'deploy:list', {
        ...toListQuery(filters, anchor.current),
        limit: PAGE,
        ...(after ? { cursor: after } : {}),
      });
      if (current.current !== asked) return;
      setLoading(false);
      if (!ack.ok) {
        toast.error(`Could not load history: ${ack.error.code}`);
        return;
      }
      setItems((prev) => (after && prev ? [...prev, ...ack.data] : ack.data));
      setCursor(nextCursor(ack.data, PAGE));
    },
    [socket, ready, key],
  );

  // biome-ignore lint/correctness/useExhaustiveDependencies: session marks a new login
  useEffect(() => {
    current.current = key;
    setItems(null);
    void load();
  }, [load, session]);

  const previous = useMemo(() => previousVersions(items ?? []), [items]);
  return {
    items,
    loading,
    more: cursor !== undefined,
    loadOlder: () => load(cursor),
    previous,
  };
}

/** The previous (older) version of the same app, for a one-click rollback. */
function previousVersions(items: DeploymentSummary[]): Map<string, DeploymentSummary> {
  const out = new Map<string, DeploymentSummary>();
  for (let i = 0; i < items.length; i++) {
    const d = items[i]!;
    const older = items
      .slice(i + 1)
      .find((o) => o.app === d.app && o.version !== d.version && (o.counts.succeeded ?? 0) > 0);
    if (older) out.set(d.requestId, older);
  }
  return out;
}
