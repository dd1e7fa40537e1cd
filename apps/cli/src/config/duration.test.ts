import { describe, expect, it } from 'vitest';
import type { CliError } from '../errors.js';
import { parseDuration, relativeTime } from './duration.js';

describe('parseDuration', () => {
  it.each([
    ['90s', 90_000],
    ['15m', 900_000],
    ['1h', 3_600_000],
    ['30d', 2_592_000_000],
    ['2w', 1_209_600_000],
  ])('%s is %d ms', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['', '1', 'h', '1.5h', '-1h', '0m', '1y'])('refuses %j with BAD_DURATION', (text) => {
    expect(() => parseDuration(text)).toThrow(
      expect.objectContaining({ code: 'BAD_DURATION', exitCode: 2 }) as CliError,
    );
  });
});

describe('relativeTime', () => {
  it('says ago for the past and in for the future', () => {
    expect(relativeTime(0, 90_000)).toBe('2m ago');
    expect(relativeTime(3 * 86_400_000, 0)).toBe('in 3d');
  });
});
