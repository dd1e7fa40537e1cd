'use client';
import type { DeploymentSummary, HostState } from '@serfbort/core';
import { RotateCcwIcon, Undo2Icon } from 'lucide-react';
import Link from 'next/link';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { toast } from 'sonner';
import { Empty, Page, RequireOperator } from '@/components/shell/page';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { StackedProgress } from '@/components/ui/progress';
import { redeployHref } from '@/features/live/redeploy';
import { call } from '@/lib/hub/call';
import { useHub } from '@/lib/hub/hub-context';
import { ago, formatTime } from '@/lib/utils';

const PAGE = 100;

function Outcome({ counts }: { counts: Partial<Record<HostState, number>> }) {
  const n = (s: HostState[]) => s.reduce((t, k) => t + (counts[k] ?? 0), 0);
  const total = Object.values(counts).reduce((t, v) => t + (v ?? 0), 0);
  const ok = n(['succeeded']);
  const bad = n(['failed', 'rejected', 'timed-out']);
  const warn = n(['expired', 'interrupted']);
  const busy = total - ok - bad - warn;
  return (
    <div className="grid gap-1">
      <StackedProgress
        total={total}
        segments={[
          { label: 'succeeded', value: ok, className: 'bg-ok' },
          { label: 'failed', value: bad, className: 'bg-bad' },
          { label: 'expired', value: warn, className: 'bg-warn' },
          { label: 'in progress', value: busy, className: 'bg-info' },
        ]}
      />
      <span className="text-xs text-muted-foreground tabular-nums">
        {ok}/{total} ok{bad ? <span className="text-bad"> · {bad} failed or rejected</span> : null}
        {warn ? <span className="text-warn"> · {warn} expired</span> : null}
        {busy ? ` · ${busy} in progress` : ''}
      </span>
    </div>
  );
}

export default function HistoryPage() {
  const { socket, ready, session } = useHub();
  const [items, setItems] = useState<DeploymentSummary[] | null>(null);
  const [more, setMore] = useState(false);
  const [filter, setFilter] = useState('');

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

  // the previous (older) version of the same app, for a one-click rollback
  const previous = useMemo(() => {
    const out = new Map<string, DeploymentSummary>();
    if (!items) return out;
    for (let i = 0; i < items.length; i++) {
      const d = items[i]!;
      const older = items
        .slice(i + 1)
        .find((o) => o.app === d.app && o.version !== d.version && (o.counts.succeeded ?? 0) > 0);
      if (older) out.set(d.requestId, older);
    }
    return out;
  }, [items]);

  const shown = (items ?? []).filter(
    (d) =>
      !filter ||
      d.app.includes(filter) ||
      d.version.includes(filter) ||
      d.signerNames.some((s) => s.includes(filter)),
  );

  return (
    <Page
      title="History"
      description="Every signed deployment the hub relayed, newest first."
      actions={
        <Input
          className="w-64"
          placeholder="Filter by app, version or signer"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
          aria-label="Filter history"
        />
      }
    >
      <RequireOperator what="the history">
        {items !== null && items.length === 0 ? (
          <Empty>No deployments yet.</Empty>
        ) : (
          <div className="overflow-auto rounded-lg border bg-card">
            <table className="w-full text-sm" data-testid="history-table">
              <thead className="border-b bg-muted/50 text-left text-xs text-muted-foreground">
                <tr>
                  <th className="px-4 py-2 font-medium">When</th>
                  <th className="px-4 py-2 font-medium">App → version</th>
                  <th className="px-4 py-2 font-medium">Target</th>
                  <th className="px-4 py-2 font-medium">Signed by</th>
                  <th className="w-56 px-4 py-2 font-medium">Outcome</th>
                  <th className="px-4 py-2" />
                </tr>
              </thead>
              <tbody className="divide-y">
                {shown.map((d) => {
                  const prev = previous.get(d.requestId);
                  return (
                    <tr key={d.requestId} className="hover:bg-accent/40" data-request={d.requestId}>
                      <td
                        className="px-4 py-2.5 whitespace-nowrap"
                        title={formatTime(d.submittedAt)}
                      >
                        <Link
                          className="font-medium text-primary hover:underline"
                          href={`/deployments/${encodeURIComponent(d.requestId)}`}
                        >
                          {ago(d.submittedAt)}
                        </Link>
                      </td>
                      <td className="px-4 py-2.5">
                        <span className="font-medium">{d.app}</span>{' '}
                        <code className="font-mono text-[13px]">→ {d.version}</code>
                        {d.rolloutId ? (
                          <Link
                            className="ml-1.5 text-xs text-muted-foreground underline"
                            href={`/rollouts/${encodeURIComponent(d.rolloutId)}`}
                          >
                            rollout step
                          </Link>
                        ) : null}
                      </td>
                      <td className="max-w-64 truncate px-4 py-2.5 font-mono text-xs">
                        {'selector' in d.target
                          ? d.target.selector
                          : `${d.target.hosts.length} hosts: ${d.target.hosts.slice(0, 3).join(', ')}${d.target.hosts.length > 3 ? '…' : ''}`}
                      </td>
                      <td className="px-4 py-2.5">{d.signerNames.join(', ')}</td>
                      <td className="px-4 py-2.5">
                        <Outcome counts={d.counts} />
                      </td>
                      <td className="px-4 py-2.5">
                        <div className="flex justify-end gap-1.5">
                          {prev ? (
                            <Button
                              asChild
                              size="xs"
                              variant="outline"
                              title={`Sign a new request for ${prev.version}, the version deployed before this one`}
                            >
                              <Link
                                href={redeployHref({
                                  app: d.app,
                                  version: prev.version,
                                  target: d.target,
                                })}
                                data-testid="rollback"
                              >
                                <Undo2Icon />
                                Back to {prev.version}
                              </Link>
                            </Button>
                          ) : null}
                          <Button
                            asChild
                            size="xs"
                            variant="ghost"
                            title="Sign a new request with the same app, target and version"
                          >
                            <Link href={redeployHref(d)}>
                              <RotateCcwIcon />
                              Again
                            </Link>
                          </Button>
                        </div>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
            {more ? (
              <div className="border-t p-2 text-center">
                <Button variant="ghost" size="sm" onClick={() => load(items?.at(-1)?.submittedAt)}>
                  Load older
                </Button>
              </div>
            ) : null}
          </div>
        )}
      </RequireOperator>
    </Page>
  );
}
