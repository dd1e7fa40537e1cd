import { usageError } from '../errors.js';

const UNITS: Record<string, number> = {
  s: 1000,
  m: 60 * 1000,
  h: 60 * 60 * 1000,
  d: 24 * 60 * 60 * 1000,
  w: 7 * 24 * 60 * 60 * 1000,
};

/** `90s`, `15m`, `1h`, `30d`, `2w` → milliseconds. Whole numbers only: signed payloads hold no floats. */
export function parseDuration(text: string, what = 'duration'): number {
  const match = /^(\d{1,9})([smhdw])$/.exec(text.trim());
  if (!match) {
    throw usageError(
      'BAD_DURATION',
      `${what}: expected a number and a unit (s, m, h, d, w) such as 30m or 7d, found '${text}'`,
    );
  }
  const ms = Number(match[1]) * (UNITS[match[2]!] ?? 0);
  if (ms <= 0)
    throw usageError('BAD_DURATION', `${what} must be longer than zero, found '${text}'`);
  return ms;
}

/** Human form of a span in the future or past, for listings: `3m ago`, `in 6d`. */
export function relativeTime(at: number, now: number): string {
  const delta = at - now;
  const abs = Math.abs(delta);
  const [value, unit] =
    abs < 60_000
      ? [Math.round(abs / 1000), 's']
      : abs < 3_600_000
        ? [Math.round(abs / 60_000), 'm']
        : abs < 86_400_000
          ? [Math.round(abs / 3_600_000), 'h']
          : [Math.round(abs / 86_400_000), 'd'];
  return delta < 0 ? `${value}${unit} ago` : `in ${value}${unit}`;
}
