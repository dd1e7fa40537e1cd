'use client';
import type { RolloutView } from '@serfbort/core';
import Link from 'next/link';
import { useEffect, useMemo, useState } from 'react';
import { Empty } from '@/components/shell/page';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { call } from '@/lib/hub/call';
import { useHub } from '@/lib/hub/hub-context';
import { ago, shortId } from '@/lib/utils';
import { AppLockNotice } from './app-lock';
import { STATUS_TONE } from './host-outcome';
import { useRolloutDriver } from './rollout-driver';

const LIMIT = 100;

/** rollout:list once (again after every login), then rollouts:subscribe's pushes. */
function useRolloutList(): { rollouts: RolloutView[]; error: string | null } {
  const { socket, canRead: ready, session } = useHub();
  const { feed } = useRolloutDriver();
  const [byId, setById] = useState<ReadonlyMap<string, RolloutView>>(new Map());
  const [error, setError] = useState<string | null>(null);

  useEffect(
    () =>
      feed.listen((v) =>
        setById((m) => {
          const next = new Map(m);
          next.set(v.id, feed.get(v.id) ?? v);
          return next;
        }),
      ),
    [feed],
  );
  // biome-ignore lint/correctness/useExhaustiveDependencies: session marks a new login
  useEffect(() => {
    if (!socket || !ready) return;
    let cancelled = false;
    void (async () => {
      const sub = await call(socket, 'rollouts:subscribe');
      const list = await call(socket, 'rollout:list', { limit: LIMIT });
      if (cancelled) return;
      if (!list.ok) {
        setError(`${list.error.code}: ${list.error.message}`);
        return;
      }
      setError(sub.ok ? null : `live updates unavailable (${sub.error.code})`);
      for (const v of list.data) feed.put(v);
      setById(new Map(list.data.map((v) => [v.id, feed.get(v.id) ?? v])));
    })();
    return () => {
      cancelled = true;
    };
  }, [socket, ready, session, feed]);

  const rollouts = useMemo(
    () => [...byId.values()].sort((a, b) => b.createdAt - a.createdAt).slice(0, LIMIT),
    [byId],
  );
  return { rollouts, error };
}

export function RolloutsList() {
  const { rollouts, error } = useRolloutList();
  const { active } = useRolloutDriver();
  const locked = [...new Set(rollouts.filter((r) => r.lock).map((r) => r.app))].sort();
  return (
    <div className="grid gap-4">
      {error ? <Alert tone="warn" title={error} /> : null}
      {locked.map((app) => (
        <AppLockNotice key={app} app={app} />
      ))}
      {rollouts.length === 0 ? (
        <Empty>No rollouts yet. Start one from Deploy → Rollout in steps.</Empty>
      ) : (
        <Card className="overflow-hidden">
          <table className="w-full text-sm" data-testid="rollouts-table">
            <thead className="border-b bg-muted/50 text-left text-xs text-muted-foreground">
              <tr>
                <th className="px-4 py-2 font-medium">Rollout</th>
                <th className="px-4 py-2 font-medium">App → version</th>
                <th className="px-4 py-2 font-medium">Status</th>
                <th className="px-4 py-2 font-medium">Steps released</th>
                <th className="px-4 py-2 font-medium">By</th>
                <th className="px-4 py-2 font-medium">Started</th>
              </tr>
            </thead>
            <tbody className="divide-y">
              {rollouts.map((r) => (
                <tr key={r.id} data-rollout={r.id} data-status={r.status}>
                  <td className="px-4 py-2">
                    <Link
                      className="font-mono underline"
                      href={`/rollouts/${encodeURIComponent(r.id)}`}
                    >
                      {shortId(r.id)}
                    </Link>{' '}
                    {r.kind === 'rollback' ? <Badge tone="warn">rollback</Badge> : null}
                  </td>
                  <td className="px-4 py-2">
                    {r.app} <VersionCell rollout={r} />
                  </td>
                  <td className="px-4 py-2">
                    <Badge tone={STATUS_TONE[r.status]}>{r.status}</Badge>
                    {active.has(r.id) ? (
                      <span className="ml-1 text-xs text-info">driven here</span>
                    ) : null}
                  </td>
                  <td className="px-4 py-2">
                    {r.steps.filter((s) => s.requestId).length} / {r.steps.length}
                  </td>
                  <td className="px-4 py-2">{r.ownerName}</td>
                  <td className="px-4 py-2 text-muted-foreground">{ago(r.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Card>
      )}
    </div>
  );
}

/**
 * A rollback reads as one: the version hosts went back to and the version it undid
 * ("web ↩ v3 (rollback of v4-broken, …)"), never "web → v4-broken" as if it deployed it.
 */
function VersionCell({ rollout: r }: { rollout: RolloutView }) {
  if (r.kind !== 'rollback') return <span className="font-mono">→ {r.version}</span>;
  const back = [...new Set(r.steps.map((s) => s.version ?? '∅'))].join(', ');
  return (
    <span data-rollback-of={r.rollbackOf} data-testid="rollback-version">
      <span className="font-mono">↩ {back}</span>
      <span className="text-muted-foreground">
        {' '}
        (rollback of <span className="font-mono">{r.version}</span>
        {r.rollbackOf ? `, ${shortId(r.rollbackOf)}` : ''})
      </span>
    </span>
  );
}
