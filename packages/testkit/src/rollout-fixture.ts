import type { RolloutStart } from '@serfbort/core';

/** Batches of one, no wait between steps, halts at the first failure, a minute per step. */
export const haltAtFirstFailure = (): RolloutStart['options'] => ({
  batch: { count: 1 },
  waitMs: 0,
  maxFailures: { count: 0 },
  onFailure: 'halt',
  stepTimeoutMs: 60_000,
});

/** A valid one-step rollout of web v2 to web-1 (role=web); a test overrides what it is about. */
export function sampleRolloutStart(over: Partial<RolloutStart> = {}): RolloutStart {
  return {
    id: 'rollout-1',
    app: 'web',
    version: 'v2',
    target: { selector: 'role=web' },
    kind: 'rollout',
    options: haltAtFirstFailure(),
    plan: { steps: [{ index: 0, kind: 'batch', hosts: ['web-1'] }], total: 1, budget: 0 },
    lockTtlMs: 60_000,
    ...over,
  };
}
