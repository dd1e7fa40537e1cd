import { describe, expect, it } from 'vitest';
import { goalRows, verdictOf } from './goal-table.js';
import { GOALS, type Goal } from './goals.js';
import { atOrLargest } from './measured.js';

const goal = (over: Partial<Goal> = {}): Goal => ({
  figure: 'x',
  unit: 'ms',
  limit: { direction: 'at most', value: 100 },
  read: () => undefined,
  ...over,
});

describe('a goal judged against a reading', () => {
  it('is met at or under an upper limit, missed above it', () => {
    expect(verdictOf(goal(), { value: 100 })).toBe('met');
    expect(verdictOf(goal(), { value: 100.5 })).toBe('missed');
  });

  it('is met at or over a lower limit, missed below it', () => {
    const atLeast = goal({ unit: '×', limit: { direction: 'at least', value: 3 } });
    expect(verdictOf(atLeast, { value: 3 })).toBe('met');
    expect(verdictOf(atLeast, { value: 2.9 })).toBe('missed');
  });

  it('is not measured when the run did not take the figure', () => {
    expect(verdictOf(goal(), undefined)).toBe('not measured');
    expect(verdictOf(goal(), { value: Number.NaN })).toBe('not measured');
  });

  it('is not measured at another N than the goal names, even when the value would pass', () => {
    expect(verdictOf(goal({ at: 10_000 }), { value: 1, n: 100 })).toBe('not measured');
    expect(verdictOf(goal({ at: 10_000 }), { value: 1, n: 10_000 })).toBe('met');
  });

  it('is not measured when the reading falls short of what the goal names', () => {
    expect(verdictOf(goal(), { value: 1, shortOf: '923 receipts stored' })).toBe('not measured');
  });

  it('has no verdict for a figure reported without a limit of its own', () => {
    const { limit: _, ...reported } = goal();
    expect(verdictOf(reported, { value: 5000 })).toBe('—');
  });
});

describe('a run with nothing measured', () => {
  it('prints every goal, each not measured', () => {
    const empty = new Map();
    const rows = goalRows({
      floor: empty,
      cryptoFloor: empty,
      sims: empty,
      reals: empty,
      serf: empty,
      admission: undefined,
    });
    expect(rows).toHaveLength(GOALS.length);
    expect(new Set(rows.map((r) => r.verdict))).toEqual(new Set(['not measured']));
  });
});

describe('atOrLargest', () => {
  const map = new Map([
    [100, 'a'],
    [1000, 'b'],
  ]);
  it('takes the N asked for when it ran, else the largest that did', () => {
    expect(atOrLargest(map, 100)).toEqual([100, 'a']);
    expect(atOrLargest(map, 10_000)).toEqual([1000, 'b']);
    expect(atOrLargest(new Map(), 100)).toBeUndefined();
  });
});
