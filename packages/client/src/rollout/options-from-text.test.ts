import { describe, expect, it } from 'vitest';
import { rolloutOptionsFrom } from './options-from-text.js';

const text = {
  batch: '25%',
  wait: '30s',
  maxFailures: '1',
  onFailure: 'rollback',
  stepTimeout: '10m',
};

describe('rolloutOptionsFrom', () => {
  it('reads the options the way both faces spell them, canaries canonical', () => {
    expect(
      rolloutOptionsFrom({ ...text, canary: { selector: 'canary=true, zone in (a,b)' } }),
    ).toEqual({
      ok: true,
      options: {
        canary: { selector: 'canary=true,zone in (a,b)' },
        batch: { percent: 25 },
        waitMs: 30_000,
        maxFailures: { count: 1 },
        onFailure: 'rollback',
        stepTimeoutMs: 600_000,
      },
    });
    const named = rolloutOptionsFrom({ ...text, wait: '0', canary: { hosts: ['b', 'a', 'b'] } });
    expect(named.ok && [named.options.canary, named.options.waitMs]).toEqual([
      { hosts: ['a', 'b'] },
      0,
    ]);
  });

  it('names every refused field with its code, within the hub schema’s bounds', () => {
    const verdict = rolloutOptionsFrom({
      canary: { selector: 'role in (' },
      batch: '0%',
      wait: '2w',
      maxFailures: 'some',
      onFailure: 'ignore',
      stepTimeout: '10ms',
    });
    expect(verdict.ok === false && verdict.refusals.map((r) => [r.field, r.code])).toEqual([
      ['canary', 'BAD_SELECTOR'],
      ['batch', 'BAD_AMOUNT'],
      ['wait', 'BAD_DURATION'],
      ['maxFailures', 'BAD_AMOUNT'],
      ['onFailure', 'BAD_OPTION'],
      ['stepTimeout', 'BAD_DURATION'],
    ]);
  });
});
