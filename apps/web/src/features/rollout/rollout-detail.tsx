'use client';
import { formatDuration, plural } from '@serfbort/client';
import type { RolloutView } from '@serfbort/core';
import Link from 'next/link';
import { useEffect, useMemo, useRef } from 'react';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { useHub } from '@/lib/hub/hub-context';
import { useAgentKeys } from '@/lib/trust/agent-keys';
import { formatTime, shortId } from '@/lib/utils';
import { AppLockNotice } from './app-lock';
import { STATUS_TONE } from './host-outcome';
import { judgeSteps, type VerdictCache } from './judge-steps';
import { RolloutControls } from './rollout-controls';
import { useRolloutDriver } from './rollout-driver';
import { StepCard } from './step-card';
import { useRollout } from './use-rollout';
import { useStepDeployments } from './use-step-deployments';

function amount(a: { count: number } | { percent: number }) {
  return 'count' in a ? String(a.count) : `${a.percent}%`;
}

function Header({ view, failures, here }: { view: RolloutView; failures: number; here: boolean }) {
  const o = view.options;
  return (
    <Card className="grid gap-3 p-4">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div className="grid gap-1">
          <p className="flex items-center gap-2 text-lg font-semibold">
            {view.kind === 'rollback' ? 'Rollback of' : 'Rollout of'} {view.app}
            {view.kind === 'rollout' ? (
              <span className="font-mono text-base">→ {view.version}</span>
            ) : null}
            <Badge
              tone={STATUS_TONE[view.status]}
              data-testid="rollout-status"
              data-status={view.status}
            >
              {view.status}
            </Badge>
            {here ? (
              <Badge tone="info" data-testid="driven-here">
                driven by this browser
              </Badge>
            ) : null}
          </p>
          {view.reason ? (
            <p className="text-[13px]" data-testid="rollout-reason">
              {view.reason}
            </p>
          ) : null}
          <p className="text-[13px] text-muted-foreground">
            {plural(view.steps.length, 'step')} · batch {amount(o.batch)}
            {o.canary
              ? ` · canary ${'selector' in o.canary ? o.canary.selector : o.canary.hosts.join(', ')}`
              : ''}{' '}
            · wait {formatDuration(o.waitMs)} · step timeout {formatDuration(o.stepTimeoutMs)} · on
            failure {o.onFailure} · by {view.ownerName} · {formatTime(view.createdAt)}
          </p>
          <p className="text-[13px]">
            <span
              className={failures > view.budget ? 'font-medium text-bad' : undefined}
              data-testid="rollout-failures"
            >
              {plural(failures, 'failure')} of a budget of {view.budget}
            </span>
            {view.rollbackOf ? (
              <>
                {' · undoes '}
                <Link
                  className="underline"
                  href={`/rollouts/${encodeURIComponent(view.rollbackOf)}`}
                >
                  {shortId(view.rollbackOf)}
                </Link>
              </>
            ) : null}
            {view.rolledBackBy ? (
              <>
                {' · rolled back by '}
                <Link
                  className="underline"
                  href={`/rollouts/${encodeURIComponent(view.rolledBackBy)}`}
                  data-testid="rolled-back-by"
                >
                  {shortId(view.rolledBackBy)}
                </Link>
              </>
            ) : null}
          </p>
          <p className="font-mono text-[11px] text-muted-foreground">id {view.id}</p>
        </div>
        <RolloutControls view={view} />
      </div>
    </Card>
  );
}

/** A rollout live, step by step; every host's result comes from a receipt verified here. */
export function RolloutDetail({ id }: { id: string }) {
  const { trust } = useHub();
  const { lookup, refresh } = useAgentKeys();
  const driver = useRolloutDriver();
  const { view, error } = useRollout(id);
  const requestIds = useMemo(
    () => (view?.steps ?? []).flatMap((s) => (s.requestId ? [s.requestId] : [])),
    [view],
  );
  const deployments = useStepDeployments(requestIds);
  const fresh = (): VerdictCache => ({ receipts: new Map(), requests: new Map() });
  // a new key list or keyring judges everything again
  const cache = useRef<{ lookup: unknown; keyring: unknown; map: VerdictCache }>({
    lookup: null,
    keyring: null,
    map: fresh(),
  });
  const keyring = trust?.keyring ?? null;
  if (cache.current.lookup !== lookup || cache.current.keyring !== keyring)
    cache.current = { lookup, keyring, map: fresh() };
  const refreshed = useRef(false);
  const keyless = [...cache.current.map.receipts.values()].some(
    (v) => v.kind === 'unverified' && v.why.startsWith('the hub lists no agent key'),
  );
  // a host approved after the key list was loaded: fetch the list once more
  useEffect(() => {
    if (keyless && !refreshed.current) {
      refreshed.current = true;
      void refresh();
    }
  }, [keyless, refresh]);

  if (error)
    return (
      <Alert tone="bad" title={`Cannot show this rollout (${error.code})`}>
        {error.message}
      </Alert>
    );
  if (!view) return <p className="text-sm text-muted-foreground">Loading rollout…</p>;
  const steps = judgeSteps(
    view,
    deployments,
    driver.results.get(view.id) ?? [],
    keyring,
    lookup,
    cache.current.map,
  );
  const failures = steps.reduce((n, s) => n + s.failures, 0);
  const current = steps.findLast((s) => s.step.requestId)?.step.index ?? -1;
  const here = driver.active.has(view.id);
  const log = driver.logs.get(view.id) ?? [];
  const driveError = driver.errors.get(view.id);

  return (
    <div className="grid gap-4">
      <Header view={view} failures={failures} here={here} />
      {driveError ? (
        <Alert tone="bad" title="This browser stopped driving the rollout">
          {driveError}
        </Alert>
      ) : null}
      <AppLockNotice app={view.app} />
      <div className="grid gap-3" data-testid="rollout-steps">
        {steps.map((s) => (
          <StepCard key={s.step.index} s={s} current={s.step.index === current} />
        ))}
      </div>
      {log.length ? (
        <Card className="p-0">
          <ol
            className="max-h-60 overflow-auto px-4 py-2 font-mono text-xs"
            data-testid="rollout-log"
          >
            {log.map((l, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: the log is append-only
              <li key={i}>
                <span className="text-muted-foreground">{new Date(l.at).toLocaleTimeString()}</span>{' '}
                {l.text}
              </li>
            ))}
          </ol>
        </Card>
      ) : null}
    </div>
  );
}
