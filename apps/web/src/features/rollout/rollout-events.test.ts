import type { HostResult, RolloutEvent } from '@serfbort/client';
import type { RolloutView } from '@serfbort/core';
import { describe, expect, it } from 'vitest';
import { describeEvent } from './rollout-events';

const result = (host: string): HostResult => ({
  host,
  step: 0,
  result: 'succeeded',
  reason: null,
  ran: true,
  versionBefore: 'v4-broken',
  versionAfter: 'v3',
});

function stepDone(kind: 'batch' | 'rollback', failures: number): RolloutEvent {
  const hosts = ['web-1', 'web-2'];
  // only the fields the log line reads
  const rollout = {
    budget: 1,
    steps: [{ index: 0, kind, hosts, version: 'v3' }],
  } as unknown as RolloutView;
  return {
    type: 'step-done',
    rollout,
    step: { index: 0, kind, hosts },
    results: hosts.map(result),
    failures,
  };
}

describe('describeEvent', () => {
  it('a rollback step says where hosts went back to, and speaks of no budget it does not have', () => {
    expect(describeEvent(stepDone('rollback', 0))).toBe(
      'step 1/1: 2 of 2 back on v3 (verified); a rollback has no failure budget',
    );
  });

  it('a rollout step counts failures against the budget, in agreeing words', () => {
    expect(describeEvent(stepDone('batch', 1))).toBe(
      'step 1/1: 2 of 2 succeeded (verified); 1 failure of a budget of 1',
    );
  });
});
