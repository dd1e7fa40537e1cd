import type { HostProgress } from '@serfbort/core';
import type { ReceiptExpectation } from '../outcome/judge-host.js';
import { judgeHost } from '../outcome/judge-host.js';

/**
 * What one host did in a rollout step, from the client's own verification.
 * Anything but `succeeded` spends the failure budget: a host that never answered
 * cannot be told apart from one that broke.
 */
export type RolloutHostResult =
  | 'succeeded'
  | 'failed'
  | 'rejected'
  | 'silent'
  | 'offline-pending'
  | 'unverified';

export interface HostResult {
  host: string;
  step: number;
  result: RolloutHostResult;
  /** the signed reason code, or why nothing verifiable came back */
  reason: string | null;
  /** the deploy command ran here (a signed receipt says so): a rollback must undo it */
  ran: boolean;
  versionBefore: string | null;
  versionAfter: string | null;
  /** the host's own words about a failure, from its signed receipt */
  detail?: string;
}

export interface StepExpectation extends ReceiptExpectation {
  step: number;
  /** hosts connected when the step was released: the others are offline-pending, not silent */
  online: ReadonlySet<string>;
}

/** Classifies one host of a step whose deadline passed or whose hosts all answered. */
export function classifyHost(
  host: string,
  progress: HostProgress | undefined,
  expect: StepExpectation,
): HostResult {
  const base = { host, step: expect.step, ran: false, versionBefore: null, versionAfter: null };
  const judged = judgeHost(host, progress, expect);
  switch (judged.kind) {
    case 'waiting':
    case 'expired':
      return expect.online.has(host)
        ? { ...base, result: 'silent', reason: 'no answer before the step deadline' }
        : { ...base, result: 'offline-pending', reason: 'offline; its request expired unrun' };
    case 'no-receipt':
      return {
        ...base,
        result: 'unverified',
        reason: 'the hub reported an answer without a receipt',
      };
    case 'unverified':
      return { ...base, result: 'unverified', reason: judged.why };
  }
  const r = judged.receipt;
  const facts = {
    ...base,
    reason: r.reason ?? null,
    versionBefore: r.versionBefore,
    versionAfter: r.versionAfter,
    ...(r.detail && r.status !== 'succeeded' ? { detail: r.detail } : {}),
  };
  if (r.status === 'succeeded') return { ...facts, result: 'succeeded', ran: true };
  if (r.status === 'rejected') return { ...facts, result: 'rejected' };
  return { ...facts, result: 'failed', ran: true };
}

/** Every result names its hosts. */
export interface RolloutSummary {
  expected: string[];
  succeeded: string[];
  failed: string[];
  rejected: string[];
  silent: string[];
  offlinePending: string[];
  unverified: string[];
  /** in the plan, but their step was never released (halted or aborted first) */
  notReleased: string[];
}

export function summarizeRollout(
  expected: readonly string[],
  results: readonly HostResult[],
): RolloutSummary {
  const by = (r: RolloutHostResult) =>
    results
      .filter((x) => x.result === r)
      .map((x) => x.host)
      .sort();
  const released = new Set(results.map((r) => r.host));
  return {
    expected: [...expected].sort(),
    succeeded: by('succeeded'),
    failed: by('failed'),
    rejected: by('rejected'),
    silent: by('silent'),
    offlinePending: by('offline-pending'),
    unverified: by('unverified'),
    notReleased: expected.filter((h) => !released.has(h)).sort(),
  };
}

export const failuresOf = (results: readonly HostResult[]): number =>
  results.filter((r) => r.result !== 'succeeded').length;
