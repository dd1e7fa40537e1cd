import type { DurationBounds } from '@serfbort/client';
import { parseDuration as parse } from '@serfbort/client';
import { usageError } from '../errors.js';

/** `90s`, `15m`, `1h`, `30d`, `2w` → milliseconds, in client's one grammar; refused as a usage error. */
export function parseDuration(text: string, what = 'duration', bounds?: DurationBounds): number {
  const parsed = parse(text, bounds);
  if (!parsed.ok) throw usageError(parsed.code, `${what}: ${parsed.detail}`);
  return parsed.value;
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
