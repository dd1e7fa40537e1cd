import type { HostResult, RolloutEvent } from '@serfbort/client';
import type { RolloutView } from '@serfbort/core';
import pc from 'picocolors';
import { describe, expect, it } from 'vitest';
import { eventLines } from './render.js';

const c = pc.createColors(false);
const result = (host: string, after: string): HostResult => ({
  host,
  step: 0,
  result: 'succeeded',
  reason: null,
  ran: true,
  versionBefore: 'v4-broken',
  versionAfter: after,
});

function stepDone(kind: 'batch' | 'rollback', budget: number): RolloutEvent {
  const hosts = ['web-1', 'web-2'];
  const rollout = {
    id: 'r-1',
    app: 'web',
    version: 'v4-broken',
    kind: kind === 'rollback' ? 'rollback' : 'rollout',
    budget,
    steps: [{ index: 0, kind, hosts, version: 'v3', requestId: 'q-1' }],
  } as unknown as RolloutView;
  return {
    type: 'step-done',
    rollout,
    step: { index: 0, kind, hosts },
    results: hosts.map((h) => result(h, 'v3')),
    failures: 0,
  };
}

describe('a finished step, in words', () => {
  it('a rollback step says what it does, and speaks of no failure budget', () => {
    const last = eventLines(stepDone('rollback', 1), c).at(-1);
    expect(last).toBe(
      'step 1/1 (back to v3, 2 hosts): 2 of 2 hosts back on v3 (a rollback has no failure budget: it puts back every host it can)',
    );
  });

  it('a rollout step counts its failures against the budget', () => {
    expect(eventLines(stepDone('batch', 1), c).at(-1)).toBe(
      'step 1/1 (batch, 2 hosts): 2 succeeded; failures so far 0 of a budget of 1',
    );
  });
});
