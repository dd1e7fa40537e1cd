import { isSuperseded } from '@serfbort/client';
import type { HostPresence, HostState } from '@serfbort/core';
import { Badge } from './badge';

type Tone = 'neutral' | 'ok' | 'warn' | 'bad' | 'info';

export const HOST_STATE_TONE: Record<HostState, Tone> = {
  pending: 'neutral',
  delivered: 'info',
  accepted: 'info',
  running: 'info',
  succeeded: 'ok',
  failed: 'bad',
  rejected: 'bad',
  'timed-out': 'bad',
  interrupted: 'warn',
  expired: 'warn',
};

export const HOST_STATE_LABEL: Record<HostState, string> = {
  pending: 'queued',
  delivered: 'delivered',
  accepted: 'accepted',
  running: 'running',
  succeeded: 'succeeded',
  failed: 'failed',
  rejected: 'rejected',
  'timed-out': 'timed out',
  interrupted: 'interrupted',
  expired: 'expired',
};

export function HostStateBadge({
  state,
  offline,
  reason,
}: {
  state: HostState;
  offline?: boolean;
  reason?: string;
}) {
  if (state === 'pending' && offline) return <Badge tone="warn">pending offline</Badge>;
  // a newer request for the app reached the host first: this one did not lapse
  if (isSuperseded({ state, reason }))
    return (
      <Badge tone="warn" data-state="superseded">
        superseded
      </Badge>
    );
  return (
    <Badge tone={HOST_STATE_TONE[state]} data-state={state}>
      {state === 'running' ? (
        <span className="size-1.5 animate-pulse rounded-full bg-current" />
      ) : null}
      {HOST_STATE_LABEL[state]}
    </Badge>
  );
}

export function PresenceDot({ state }: { state: HostPresence }) {
  const cls = state === 'online' ? 'bg-ok' : state === 'left' ? 'bg-muted-foreground/50' : 'bg-bad';
  return (
    <span
      className={`inline-block size-2 shrink-0 rounded-full ${cls}`}
      title={state}
      role="img"
      aria-label={state}
    />
  );
}
