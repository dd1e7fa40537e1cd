import { describe, expect, it } from 'vitest';
import { CliError } from '../errors.js';
import { isRollout, lockTtlOf, parseAmount, rolloutOptions } from './options.js';

const codeOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    if (e instanceof CliError) return `${e.exitCode}:${e.code}`;
    throw e;
  }
  throw new Error('expected a CliError');
};

describe('rollout options', () => {
  it('a deploy becomes a rollout with any rollout option, but not with --no-wait', () => {
    expect(isRollout({})).toBe(false);
    expect(isRollout({ wait: true })).toBe(false);
    expect(isRollout({ wait: false })).toBe(false);
    expect(isRollout({ wait: '30s' })).toBe(true);
    expect(isRollout({ batch: '2' })).toBe(true);
    expect(isRollout({ canary: 'canary' })).toBe(true);
    expect(isRollout({ onFailure: 'rollback' })).toBe(true);
  });

  it('amounts are hosts or percentages', () => {
    expect(parseAmount('3', '--batch', 1)).toEqual({ count: 3 });
    expect(parseAmount('25%', '--batch', 1)).toEqual({ percent: 25 });
    expect(parseAmount('12.5%', '--batch', 1)).toEqual({ percent: 12.5 });
    expect(parseAmount('0', '--max-failures', 0)).toEqual({ count: 0 });
    for (const bad of ['0', '-1', 'x', '101%', '0%', '1.5', '25 %', ''])
      expect(
        codeOf(() => parseAmount(bad, '--batch', 1)),
        bad,
      ).toBe('2:BAD_AMOUNT');
  });

  it('defaults: everything in one batch, no tolerance, halt, 10 minute steps', () => {
    expect(rolloutOptions({ batch: '2' })).toEqual({
      batch: { count: 2 },
      waitMs: 0,
      maxFailures: { count: 0 },
      onFailure: 'halt',
      stepTimeoutMs: 600_000,
    });
    expect(
      rolloutOptions({
        canary: 'canary=true, zone in (a,b)',
        batch: '25%',
        wait: '30s',
        maxFailures: '10%',
        onFailure: 'rollback',
        stepTimeout: '2m',
      }),
    ).toEqual({
      canary: { selector: 'canary=true,zone in (a,b)' },
      batch: { percent: 25 },
      waitMs: 30_000,
      maxFailures: { percent: 10 },
      onFailure: 'rollback',
      stepTimeoutMs: 120_000,
    });
  });

  it('refuses what it cannot plan, before anything is signed', () => {
    expect(codeOf(() => rolloutOptions({ canary: 'a', canaryHosts: 'b' }))).toBe('2:BAD_OPTION');
    expect(codeOf(() => rolloutOptions({ canary: 'role=(' }))).toBe('2:BAD_SELECTOR');
    expect(codeOf(() => rolloutOptions({ onFailure: 'ignore' }))).toBe('2:BAD_OPTION');
    expect(codeOf(() => rolloutOptions({ wait: 'soon' }))).toBe('2:BAD_DURATION');
    expect(codeOf(() => lockTtlOf({ lockTtl: '1s' }))).toBe('2:BAD_DURATION');
    expect(lockTtlOf({})).toBe(300_000);
  });
});
