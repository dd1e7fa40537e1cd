import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RolloutOptions } from './plan.js';
import { budgetVerdict, percentOf, planRollout } from './plan.js';

const fleet = (n: number, canaries = 0): { name: string; labels: Record<string, string> }[] =>
  Array.from({ length: n }, (_, i) => ({
    name: `h${String(i).padStart(3, '0')}`,
    labels:
      i < canaries ? { role: 'web', canary: '' } : ({ role: 'web' } as Record<string, string>),
  }));
const base: RolloutOptions = {
  batch: { count: 3 },
  waitMs: 0,
  maxFailures: { count: 0 },
  onFailure: 'halt',
};

describe('planRollout', () => {
  it('puts canaries first, then batches of the asked size', () => {
    const r = planRollout(fleet(10, 1), { ...base, canary: { selector: 'canary' } });
    expect(r.ok && r.plan.steps.map((s) => [s.kind, s.hosts.length])).toEqual([
      ['canary', 1],
      ['batch', 3],
      ['batch', 3],
      ['batch', 3],
    ]);
  });

  it('refuses a canary that matches nothing, and unknown canary hosts', () => {
    expect(planRollout(fleet(4), { ...base, canary: { selector: 'canary' } })).toMatchObject({
      ok: false,
    });
    expect(planRollout(fleet(4), { ...base, canary: { hosts: ['nope'] } })).toMatchObject({
      ok: false,
    });
  });

  it('computes percentages exactly at the edges', () => {
    expect(percentOf(10, 10)).toBe(1);
    expect(percentOf(3, 33)).toBe(0);
    expect(percentOf(3, 34)).toBe(1);
    expect(percentOf(200, 0.5)).toBe(1);
    const r = planRollout(fleet(10), {
      ...base,
      batch: { percent: 25 },
      maxFailures: { percent: 10 },
    });
    expect(r.ok && r.plan.steps.map((s) => s.hosts.length)).toEqual([2, 2, 2, 2, 2]);
    expect(r.ok && r.plan.budget).toBe(1);
  });

  it('halts one failure past the budget, counting silent and rejected hosts', () => {
    const r = planRollout(fleet(10), { ...base, maxFailures: { count: 1 } });
    if (!r.ok) throw new Error(r.error);
    expect(budgetVerdict(r.plan, ['succeeded', 'silent']).proceed).toBe(true);
    expect(budgetVerdict(r.plan, ['rejected', 'silent']).proceed).toBe(false);
    expect(budgetVerdict(r.plan, ['succeeded', 'unverified', 'failed'])).toEqual({
      proceed: false,
      failures: 2,
      budget: 1,
    });
  });

  it('places every target host in exactly one step, canaries first, batches as asked (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 120 }),
        fc.integer({ min: 0, max: 10 }),
        fc.oneof(
          fc.integer({ min: 1, max: 50 }).map((count) => ({ count })),
          fc.integer({ min: 1, max: 100 }).map((percent) => ({ percent })),
        ),
        (n, c, batch) => {
          const canaries = Math.min(c, n);
          const r = planRollout(fleet(n, canaries), {
            ...base,
            batch,
            ...(canaries ? { canary: { selector: 'canary' } } : {}),
          });
          if (!r.ok) return false;
          const all = r.plan.steps.flatMap((s) => s.hosts);
          const size = 'count' in batch ? batch.count : Math.max(1, percentOf(n, batch.percent));
          const batches = r.plan.steps.filter((s) => s.kind === 'batch');
          return (
            all.length === n &&
            new Set(all).size === n &&
            (canaries === 0 ||
              (r.plan.steps[0]!.kind === 'canary' && r.plan.steps[0]!.hosts.length === canaries)) &&
            batches.every((s, i) =>
              i < batches.length - 1
                ? s.hosts.length === size
                : s.hosts.length <= size && s.hosts.length > 0,
            )
          );
        },
      ),
    );
  });
});
