import type { Labels } from '@serfbort/core';
import { matchesSelector, parseSelector } from '@serfbort/core';

/** N hosts, or N percent of the whole target. */
export type Amount = { count: number } | { percent: number };

export interface RolloutOptions {
  /** hosts that go first, alone: by selector (among the target) or by name */
  canary?: { selector: string } | { hosts: string[] };
  batch: Amount;
  /** ms to wait after a step succeeds before releasing the next */
  waitMs: number;
  /** failures tolerated over the whole rollout; silent and rejected hosts count as failed */
  maxFailures: Amount;
  onFailure: 'halt' | 'rollback';
}

export interface RolloutStep {
  index: number;
  kind: 'canary' | 'batch' | 'rollback';
  hosts: string[];
  /** rollback steps only: the version these hosts go back to */
  version?: string;
}

export interface RolloutPlan {
  steps: RolloutStep[];
  total: number;
  /** failures allowed; one more halts the rollout */
  budget: number;
}

export type PlanResult = { ok: true; plan: RolloutPlan } | { ok: false; error: string };

/** floor(total × percent / 100) in integers, so 10% of 10 is exactly 1 and 33% of 3 is 0. */
export function percentOf(total: number, percent: number): number {
  return Math.floor((total * Math.round(percent * 100)) / 10_000);
}

function resolveAmount(amount: Amount, total: number, atLeastOne: boolean): number {
  const n = 'count' in amount ? amount.count : percentOf(total, amount.percent);
  return atLeastOne ? Math.max(1, n) : n;
}

/**
 * Splits a resolved target into steps: canaries first, then batches in name order.
 * Every target host lands in exactly one step. Pure: the client signs one request per step.
 */
export function planRollout(
  target: readonly { name: string; labels: Labels }[],
  options: RolloutOptions,
): PlanResult {
  const bad = (error: string): PlanResult => ({ ok: false, error });
  if (
    'count' in options.batch &&
    (!Number.isInteger(options.batch.count) || options.batch.count < 1)
  )
    return bad('batch size must be a whole number of at least 1');
  if ('percent' in options.batch && !(options.batch.percent > 0 && options.batch.percent <= 100))
    return bad('batch percent must be in (0, 100]');
  if (
    'count' in options.maxFailures &&
    (!Number.isInteger(options.maxFailures.count) || options.maxFailures.count < 0)
  )
    return bad('max failures must be a whole number of at least 0');
  if (
    'percent' in options.maxFailures &&
    !(options.maxFailures.percent >= 0 && options.maxFailures.percent <= 100)
  )
    return bad('max failures percent must be in [0, 100]');
  const hosts = [...new Map(target.map((h) => [h.name, h])).values()].sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
  if (hosts.length === 0) return bad('the target matches no host');

  let canaries: string[] = [];
  if (options.canary && 'selector' in options.canary) {
    const parsed = parseSelector(options.canary.selector);
    if (!parsed.ok) return bad(`canary selector: ${parsed.error.message}`);
    canaries = hosts.filter((h) => matchesSelector(parsed.selector, h.labels)).map((h) => h.name);
  } else if (options.canary) {
    const names = new Set(hosts.map((h) => h.name));
    const missing = options.canary.hosts.filter((h) => !names.has(h));
    if (missing.length) return bad(`canary hosts not in the target: ${missing.join(', ')}`);
    canaries = [...new Set(options.canary.hosts)].sort();
  }
  if (options.canary && canaries.length === 0)
    return bad('the canary matches no host of the target');

  const steps: RolloutStep[] = [];
  if (canaries.length) steps.push({ index: 0, kind: 'canary', hosts: canaries });
  const inCanary = new Set(canaries);
  const rest = hosts.map((h) => h.name).filter((n) => !inCanary.has(n));
  const size = resolveAmount(options.batch, hosts.length, true);
  for (let i = 0; i < rest.length; i += size)
    steps.push({ index: steps.length, kind: 'batch', hosts: rest.slice(i, i + size) });
  return {
    ok: true,
    plan: {
      steps,
      total: hosts.length,
      budget: resolveAmount(options.maxFailures, hosts.length, false),
    },
  };
}

export type HostOutcome =
  | 'succeeded'
  | 'failed'
  | 'rejected'
  | 'timed-out'
  | 'interrupted'
  | 'expired'
  | 'silent'
  | 'unverified';

/** Whether the rollout may release its next step, given every host outcome so far. */
export function budgetVerdict(
  plan: RolloutPlan,
  outcomes: readonly HostOutcome[],
): { proceed: boolean; failures: number; budget: number } {
  const failures = outcomes.filter((o) => o !== 'succeeded').length;
  return { proceed: failures <= plan.budget, failures, budget: plan.budget };
}
