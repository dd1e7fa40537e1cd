'use client';
import {
  FINAL_HOST_STATES,
  type HostProgress,
  type HostState,
  type OutputLine,
} from '@serfbort/core';
import {
  ChevronDownIcon,
  ChevronRightIcon,
  RotateCcwIcon,
  ShieldCheckIcon,
  ShieldXIcon,
} from 'lucide-react';
import Link from 'next/link';
import { useMemo, useRef, useState } from 'react';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { type Segment, StackedProgress } from '@/components/ui/progress';
import { HOST_STATE_LABEL, HostStateBadge } from '@/components/ui/state-badge';
import { useFleet } from '@/features/fleet/fleet-context';
import { useHub } from '@/lib/hub/hub-context';
import { useAgentKeys } from '@/lib/trust/agent-keys';
import { formatTime, until } from '@/lib/utils';
import { redeployHref } from './redeploy';
import { useDeployment } from './use-deployment';
import { type ReceiptVerdict, verifyHostReceipt, verifyRequestEnvelope } from './verify-deployment';

const ORDER: HostState[] = [
  'running',
  'accepted',
  'delivered',
  'pending',
  'failed',
  'rejected',
  'timed-out',
  'interrupted',
  'expired',
  'succeeded',
];
const SEGMENTS: { states: HostState[]; className: string; label: string }[] = [
  { states: ['succeeded'], className: 'bg-ok', label: 'succeeded' },
  {
    states: ['failed', 'rejected', 'timed-out'],
    className: 'bg-bad',
    label: 'failed, rejected or timed out',
  },
  { states: ['expired', 'interrupted'], className: 'bg-warn', label: 'expired or interrupted' },
  {
    states: ['running', 'accepted', 'delivered'],
    className: 'bg-info animate-pulse',
    label: 'in progress',
  },
];

function VerdictMark({ verdict, state }: { verdict: ReceiptVerdict; state: HostState }) {
  if (verdict.kind === 'verified')
    return (
      <span
        className="inline-flex items-center gap-1 text-xs font-medium text-ok"
        title="Receipt signed by this host's operator-approved key"
        data-testid="receipt-verified"
      >
        <ShieldCheckIcon className="size-3.5" />✓ verified
      </span>
    );
  if (verdict.kind === 'unverified')
    return (
      <span
        className="inline-flex items-center gap-1 rounded bg-bad px-1.5 py-0.5 text-xs font-bold text-white"
        title={verdict.why}
        data-testid="receipt-unverified"
      >
        <ShieldXIcon className="size-3.5" />✗ UNVERIFIED
      </span>
    );
  if (FINAL_HOST_STATES.includes(state) && state !== 'expired')
    return (
      <span
        className="inline-flex items-center gap-1 rounded bg-bad px-1.5 py-0.5 text-xs font-bold text-white"
        title="the hub reports an outcome without a signed receipt"
        data-testid="receipt-unverified"
      >
        <ShieldXIcon className="size-3.5" />✗ UNVERIFIED (no receipt)
      </span>
    );
  return (
    <span className="text-xs text-muted-foreground">
      {state === 'expired' ? 'hub-reported' : 'awaiting receipt'}
    </span>
  );
}

function Output({ lines: unordered }: { lines: OutputLine[] }) {
  const ref = useRef<HTMLPreElement>(null);
  // stdout and stderr arrive in separate batches: show them in the order they were written
  const lines = useMemo(() => [...unordered].sort((a, b) => a.at - b.at), [unordered]);
  return (
    <pre
      ref={ref}
      className="max-h-72 overflow-auto bg-neutral-950 px-4 py-2 font-mono text-[12px] leading-5 text-neutral-200"
      data-testid="host-output"
    >
      {lines.length === 0 ? <span className="text-neutral-500">no output yet</span> : null}
      {lines.map((l, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: lines are append-only
        <div key={i} className={l.stream === 'stderr' ? 'text-red-300' : undefined}>
          {l.text}
        </div>
      ))}
    </pre>
  );
}

function HostRow({
  host,
  verdict,
  lines,
  offline,
  open,
  onToggle,
}: {
  host: HostProgress;
  verdict: ReceiptVerdict;
  lines: OutputLine[];
  offline: boolean;
  open: boolean;
  onToggle: () => void;
}) {
  const signed = verdict.kind === 'verified' ? verdict.receipt : null;
  const reason = signed ? signed.reason : host.reason;
  const exit = signed ? signed.exitCode : host.exitCode;
  const before = signed ? signed.versionBefore : host.versionBefore;
  const after = signed ? signed.versionAfter : host.versionAfter;
  return (
    <li
      data-host={host.host}
      data-state={host.state}
      className={verdict.kind === 'unverified' ? 'bg-bad/5' : undefined}
    >
      <button
        type="button"
        onClick={onToggle}
        className="grid w-full grid-cols-[1.25rem_minmax(9rem,1fr)_7.5rem_minmax(10rem,2fr)_9rem] items-center gap-3 px-4 py-2 text-left text-sm hover:bg-accent/50"
      >
        {open ? (
          <ChevronDownIcon className="size-4 text-muted-foreground" />
        ) : (
          <ChevronRightIcon className="size-4 text-muted-foreground" />
        )}
        <span className="truncate font-medium">{host.host}</span>
        <span>
          <HostStateBadge state={host.state} offline={offline} />
        </span>
        <span className="min-w-0 truncate text-[13px] text-muted-foreground">
          {reason ? (
            <span className="font-medium text-bad" data-testid="host-reason">
              {reason}
            </span>
          ) : null}
          {reason && (exit != null || after) ? ' · ' : ''}
          {exit != null ? `exit ${exit}` : ''}
          {after ? ` · ${before ?? '—'} → ${after}` : ''}
          {signed?.detail ? ` · ${signed.detail}` : ''}
        </span>
        <span className="text-right">
          <VerdictMark verdict={verdict} state={host.state} />
        </span>
      </button>
      {open ? (
        <div className="border-t">
          {verdict.kind === 'unverified' ? (
            <p className="bg-bad/10 px-4 py-1.5 text-xs text-bad">
              Not believed: {verdict.why}. Anything shown for this host comes from the hub only.
            </p>
          ) : null}
          <Output lines={lines} />
        </div>
      ) : null}
    </li>
  );
}

export function LiveView({ requestId }: { requestId: string }) {
  const { trust } = useHub();
  const fleet = useFleet();
  const { lookup, refresh } = useAgentKeys();
  const { view, hosts, output, error } = useDeployment(requestId);
  const [open, setOpen] = useState<Set<string>>(new Set());
  const refreshed = useRef(new Set<string>());

  const request = useMemo(
    () => (view ? verifyRequestEnvelope(view, trust?.keyring ?? null) : null),
    [view, trust],
  );
  const digest = request?.ok ? request.digest : null;
  // each receipt is verified once (tweetnacl takes milliseconds); a new key list or
  // keyring (a new `lookup`) or a new request digest starts over
  const cache = useRef<{
    lookup: unknown;
    digest: string | null;
    byKey: Map<string, ReceiptVerdict>;
  }>({ lookup: null, digest: null, byKey: new Map() });
  const verdicts = useMemo(() => {
    if (cache.current.lookup !== lookup || cache.current.digest !== digest)
      cache.current = { lookup, digest, byKey: new Map() };
    const out = new Map<string, ReceiptVerdict>();
    for (const h of hosts) {
      const cacheKey = `${h.host}\u0000${h.state}\u0000${h.receipt ? JSON.stringify(h.receipt) : ''}`;
      let v = cache.current.byKey.get(cacheKey);
      if (!v) {
        v = verifyHostReceipt(h, requestId, digest, lookup);
        cache.current.byKey.set(cacheKey, v);
      }
      // a host approved after we loaded the key list: fetch the list once more
      if (
        v.kind === 'unverified' &&
        v.why.startsWith('the hub lists no agent key') &&
        !refreshed.current.has(h.host)
      ) {
        refreshed.current.add(h.host);
        void refresh();
      }
      out.set(h.host, v);
    }
    return out;
  }, [hosts, requestId, digest, lookup, refresh]);

  const sorted = useMemo(
    () =>
      [...hosts].sort(
        (a, b) => ORDER.indexOf(a.state) - ORDER.indexOf(b.state) || a.host.localeCompare(b.host),
      ),
    [hosts],
  );
  const counts = useMemo(() => {
    const c: Partial<Record<HostState, number>> = {};
    for (const h of hosts) c[h.state] = (c[h.state] ?? 0) + 1;
    return c;
  }, [hosts]);
  const total = hosts.length;
  const finished = hosts.filter((h) => FINAL_HOST_STATES.includes(h.state)).length;
  const verified = [...verdicts.values()].filter((v) => v.kind === 'verified').length;
  const unverified = [...verdicts.values()].filter((v) => v.kind === 'unverified').length;
  const segments: Segment[] = SEGMENTS.map((s) => ({
    label: s.label,
    className: s.className,
    value: s.states.reduce((n, st) => n + (counts[st] ?? 0), 0),
  }));

  if (error)
    return (
      <Alert tone="bad" title={`Cannot show this deployment (${error.code})`}>
        {error.message}
      </Alert>
    );
  if (!view) return <p className="text-sm text-muted-foreground">Loading deployment…</p>;
  const signedReq = request?.ok ? request.request : null;
  const target = signedReq?.target ?? view.target;

  return (
    <div className="grid gap-4">
      {request && !request.ok ? (
        <Alert
          tone="bad"
          icon={<ShieldXIcon />}
          title="✗ The request does not verify against the keyring"
          data-testid="request-unverified"
        >
          {request.why}. Hosts will refuse it; nothing below should be believed.
        </Alert>
      ) : null}
      <Card className="grid gap-4 p-4">
        <div className="flex flex-wrap items-start justify-between gap-4">
          <div className="grid gap-1">
            <p className="text-lg font-semibold">
              {signedReq?.app ?? view.app}{' '}
              <span className="font-mono text-base">→ {signedReq?.version ?? view.version}</span>
            </p>
            <p className="text-[13px] text-muted-foreground">
              {'selector' in target ? (
                <>
                  selector <code className="font-mono">{target.selector}</code>
                </>
              ) : (
                `${target.hosts.length} named hosts`
              )}{' '}
              · signed by {view.signerNames.join(', ') || view.signers.join(', ')}{' '}
              {request?.ok ? <Badge tone="ok">✓ signature verified</Badge> : null} · submitted{' '}
              {formatTime(view.submittedAt)} · request expires {until(view.expiresAt)}
            </p>
            <p className="font-mono text-[11px] text-muted-foreground">id {view.requestId}</p>
            {view.rolloutId ? (
              <p className="text-[13px]">
                A step of rollout{' '}
                <Link
                  className="font-mono underline"
                  href={`/rollouts/${encodeURIComponent(view.rolloutId)}`}
                  data-testid="deployment-rollout"
                >
                  {view.rolloutId}
                </Link>
              </p>
            ) : null}
          </div>
          <Button asChild variant="outline" size="sm">
            <Link href={redeployHref(signedReq ?? view)}>
              <RotateCcwIcon />
              Deploy this again…
            </Link>
          </Button>
        </div>
        <div className="grid gap-2">
          <div className="flex flex-wrap items-center justify-between gap-2 text-[13px]">
            <span className="font-medium" data-testid="live-progress">
              {finished} of {total} hosts finished
            </span>
            <span className="flex flex-wrap gap-1.5" data-testid="live-counts">
              {ORDER.filter((s) => counts[s]).map((s) => (
                <Badge key={s} tone="outline" data-count-state={s}>
                  {HOST_STATE_LABEL[s]} {counts[s]}
                </Badge>
              ))}
            </span>
          </div>
          <StackedProgress total={total} segments={segments} className="h-2.5" />
          <p className="text-xs text-muted-foreground" data-testid="verified-count">
            {verified} of {total} receipts verified in this browser
            {unverified > 0 ? (
              <span className="ml-1 font-bold text-bad">· {unverified} UNVERIFIED</span>
            ) : null}
          </p>
        </div>
      </Card>
      <Card className="overflow-hidden">
        <div className="grid grid-cols-[1.25rem_minmax(9rem,1fr)_7.5rem_minmax(10rem,2fr)_9rem] gap-3 border-b bg-muted/50 px-4 py-2 text-xs font-medium text-muted-foreground">
          <span />
          <span>Host</span>
          <span>State</span>
          <span>Reason · exit · version</span>
          <span className="text-right">Receipt</span>
        </div>
        <ul className="divide-y" data-testid="live-hosts">
          {sorted.map((h) => (
            <HostRow
              key={h.host}
              host={h}
              verdict={verdicts.get(h.host) ?? { kind: 'none' }}
              lines={output.get(h.host) ?? []}
              offline={fleet.byName.get(h.host)?.state !== 'online'}
              open={open.has(h.host) || (h.state === 'running' && !open.has(`-${h.host}`))}
              onToggle={() =>
                setOpen((prev) => {
                  const next = new Set(prev);
                  const isOpen =
                    prev.has(h.host) || (h.state === 'running' && !prev.has(`-${h.host}`));
                  next.delete(h.host);
                  next.delete(`-${h.host}`);
                  next.add(isOpen ? `-${h.host}` : h.host);
                  return next;
                })
              }
            />
          ))}
        </ul>
      </Card>
    </div>
  );
}
