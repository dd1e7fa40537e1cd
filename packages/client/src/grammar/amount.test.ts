import { LIMITS } from '@serfbort/core';
import { describe, expect, it } from 'vitest';
import { parseAmount } from './amount.js';

describe('parseAmount', () => {
  it('reads hosts or percentages', () => {
    expect(parseAmount('3', 1)).toEqual({ ok: true, value: { count: 3 } });
    expect(parseAmount(' 25% ', 1)).toEqual({ ok: true, value: { percent: 25 } });
    expect(parseAmount('12.5%', 1)).toEqual({ ok: true, value: { percent: 12.5 } });
    expect(parseAmount('0', 0)).toEqual({ ok: true, value: { count: 0 } });
    expect(parseAmount('0%', 0)).toEqual({ ok: true, value: { percent: 0 } });
  });

  it.each([
    ['0', 1, "at least 1, found '0'"],
    ['0%', 1, "more than 0%, found '0%'"],
    ['101%', 0, "at most 100%, found '101%'"],
    [
      String(LIMITS.targetHosts + 1),
      0,
      `at most ${LIMITS.targetHosts} hosts, found '${LIMITS.targetHosts + 1}'`,
    ],
  ])('refuses %j (min %d): %s', (text, min, detail) => {
    expect(parseAmount(text, min)).toEqual({ ok: false, code: 'BAD_AMOUNT', detail });
  });

  it.each(['-1', 'x', 'two', '1.5', '25 %', '12.345%', ''])(
    'refuses %j, naming what it expected',
    (text) => {
      expect(parseAmount(text, 1)).toEqual({
        ok: false,
        code: 'BAD_AMOUNT',
        detail: `expected a number of hosts (at least 1) or a percentage like 25%, found '${text}'`,
      });
    },
  );
});
