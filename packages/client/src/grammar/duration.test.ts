import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from './duration.js';

describe('parseDuration', () => {
  it.each([
    ['250ms', 250],
    ['90s', 90_000],
    [' 15m ', 900_000],
    ['1h', 3_600_000],
    ['7d', 604_800_000],
    ['2w', 1_209_600_000],
  ])('reads %j as %d ms', (text, ms) => {
    expect(parseDuration(text)).toEqual({ ok: true, value: ms });
  });

  it('reads a YAML number as seconds', () => {
    expect(parseDuration(30)).toEqual({ ok: true, value: 30_000 });
    expect(parseDuration(0.5)).toEqual({ ok: true, value: 500 });
  });

  it.each(['', '1', 'h', '1.5h', '-1h', '1y', '10 m', 'soon'])(
    'refuses %j with BAD_DURATION, naming what it expected',
    (text) => {
      expect(parseDuration(text)).toEqual({
        ok: false,
        code: 'BAD_DURATION',
        detail: `expected a whole number and a unit (ms, s, m, h, d, w) such as 30s, 10m or 7d, found '${text}'`,
      });
    },
  );

  it('refuses zero unless the bounds allow it', () => {
    expect(parseDuration('0m')).toEqual({
      ok: false,
      code: 'BAD_DURATION',
      detail: "must be longer than zero, found '0m'",
    });
    expect(parseDuration('0s', { minMs: 0 })).toEqual({ ok: true, value: 0 });
    expect(parseDuration('0', { minMs: 0 })).toEqual({ ok: true, value: 0 });
    expect(parseDuration('0').ok).toBe(false);
    expect(parseDuration(-1, { minMs: 0 }).ok).toBe(false);
  });

  it('names the bound it breaks', () => {
    expect(parseDuration('500ms', { minMs: 1_000 })).toEqual({
      ok: false,
      code: 'BAD_DURATION',
      detail: "at least 1s, found '500ms'",
    });
    expect(parseDuration('2h', { maxMs: 3_600_000 })).toEqual({
      ok: false,
      code: 'BAD_DURATION',
      detail: "at most 1h, found '2h'",
    });
  });
});

describe('formatDuration', () => {
  it('shows the largest exact unit', () => {
    expect(formatDuration(7 * 86_400_000)).toBe('7d');
    expect(formatDuration(3_600_000)).toBe('1h');
    expect(formatDuration(300_000)).toBe('5m');
    expect(formatDuration(90_000)).toBe('90s');
    expect(formatDuration(1_500)).toBe('1500ms');
    expect(formatDuration(0)).toBe('0s');
  });

  it('reads back what it writes', () => {
    for (const ms of [1, 999, 1_000, 61_000, 3_600_000, 90_000_000, 604_800_000])
      expect(parseDuration(formatDuration(ms))).toEqual({ ok: true, value: ms });
  });
});
