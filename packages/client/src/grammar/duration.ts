import type { Checked } from '../codes.js';
import { refuse } from '../codes.js';

/** Unit sizes in ms, largest first (formatDuration picks the largest that divides exactly). */
const UNITS = { w: 604_800_000, d: 86_400_000, h: 3_600_000, m: 60_000, s: 1_000, ms: 1 } as const;
type Unit = keyof typeof UNITS;

/** Whole numbers only: durations end up in signed payloads, which hold no floats. A bare 0 is 0 in any unit. */
const DURATION = /^(?:0|(\d{1,9})(ms|s|m|h|d|w))$/;

export interface DurationBounds {
  /** ms; 1 unless zero means "none" somewhere */
  minMs?: number;
  /** ms */
  maxMs?: number;
}

/**
 * The one duration grammar of the CLI, the agent's YAML and the dashboard: `250ms`, `90s`,
 * `15m`, `1h`, `7d`, `2w`. Text needs its unit (a bare `7` could be seconds or days; `0` is
 * zero in all of them);
 * a YAML number is seconds, as YAML writes `timeout: 30`.
 */
export function parseDuration(
  input: string | number,
  bounds: DurationBounds = {},
): Checked<number> {
  const shown = typeof input === 'number' ? String(input) : `'${input}'`;
  let ms: number | undefined;
  if (typeof input === 'number') {
    if (Number.isFinite(input) && input >= 0) ms = Math.round(input * 1_000);
  } else {
    const m = DURATION.exec(input.trim());
    if (m) ms = m[2] === undefined ? 0 : Number(m[1]) * UNITS[m[2] as Unit];
  }
  if (ms === undefined)
    return refuse(
      'BAD_DURATION',
      `expected a whole number and a unit (ms, s, m, h, d, w) such as 30s, 10m or 7d, found ${shown}`,
    );
  const min = bounds.minMs ?? 1;
  if (ms < min)
    return refuse(
      'BAD_DURATION',
      min === 1
        ? `must be longer than zero, found ${shown}`
        : `at least ${formatDuration(min)}, found ${shown}`,
    );
  if (bounds.maxMs !== undefined && ms > bounds.maxMs)
    return refuse('BAD_DURATION', `at most ${formatDuration(bounds.maxMs)}, found ${shown}`);
  return { ok: true, value: ms };
}

/** The largest unit (up to days) that shows `ms` exactly: 300000 is "5m", 1500 is "1500ms", 0 is "0s". */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  for (const unit of ['d', 'h', 'm', 's'] as const)
    if (ms % UNITS[unit] === 0) return `${ms / UNITS[unit]}${unit}`;
  return `${ms}ms`;
}
