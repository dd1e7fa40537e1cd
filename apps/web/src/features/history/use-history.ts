'use client';
import type { DeploymentSummary } from '@serfbort/core';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { toast } from 'sonner';
import { call } from '@/lib/hub/call';
import { useHub } from '@/lib/hub/hub-context';

const PAGE = 100;

/** The hub's deployments, newest first, a page at a time. */
export function useHistory() {
  const { socket, canRead: ready, session } = useHub();
  const [items, setItems] = useState<DeploymentSummary[] | null>(null);
  const [more, setMore] = useState(false);

  const load = useCallback(
    async (before?: number) => {
      if (!socket || !ready) return;
      const ack = await call(socket, 'deploy:list', { limit: PAGE, ...(before ? { before } : {}) });
      if (!ack.ok) {
        toast.error(`Could not load history: ${ack.error.code}`);
        return;
      }
      setItems((prev) => (before && prev ? [...prev, ...ack.data] : ack.data));
      setMore(ack.data.length === PAGE);
    },
    [socket, ready],
  );

  // biome-ignore lint/correctness/useExhaustiveDependencies: session marks a new login
  useEffect(() => {
    void load();
  }, [load, session]);

  const previous = useMemo(() => previousVersions(items ?? []), [items]);
  return { items, more, loadOlder: () => load(items?.at(-1)?.submittedAt), previous };
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
