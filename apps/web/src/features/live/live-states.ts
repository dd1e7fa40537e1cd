import { FINAL_HOST_STATES, type HostProgress, type HostState } from '@serfbort/core';
import type { Segment } from '@/components/ui/progress';

/** Row order: what is still moving first, then what needs attention, success last. */
export const ORDER: HostState[] = [
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

export type StateCounts = Partial<Record<HostState, number>>;

export function countStates(hosts: readonly HostProgress[]): StateCounts {
  const c: StateCounts = {};
  for (const h of hosts) c[h.state] = (c[h.state] ?? 0) + 1;
  return c;
}

export const countFinished = (hosts: readonly HostProgress[]): number =>
  hosts.filter((h) => FINAL_HOST_STATES.includes(h.state)).length;

export function progressSegments(counts: StateCounts): Segment[] {
  return SEGMENTS.map((s) => ({
    label: s.label,
    className: s.className,
    value: s.states.reduce((n, st) => n + (counts[st] ?? 0), 0),
  }));
}

export const sortByState = (hosts: readonly HostProgress[]): HostProgress[] =>
  [...hosts].sort(
    (a, b) => ORDER.indexOf(a.state) - ORDER.indexOf(b.state) || a.host.localeCompare(b.host),
  );
