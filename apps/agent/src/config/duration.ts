/** Durations in config: "90s", "10m", "1h", "500ms", or a bare number of seconds. */
const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Milliseconds, or undefined when not a duration; zero only where `allowZero` (a delay that may be none). */
export function parseDuration(value: unknown, allowZero = false): number | undefined {
  const ok = (ms: number) => {
    // rounded first, so "0.0001s" is zero (refused unless allowed), never a 0 ms timeout
    const whole = Math.round(ms);
    return whole > 0 || (allowZero && whole === 0 && ms >= 0) ? Math.abs(whole) : undefined;
  };
  if (typeof value === 'number') {
    return Number.isFinite(value) ? ok(value * 1000) : undefined;
  }
  if (typeof value !== 'string') return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(value);
  if (!m) return undefined;
  return ok(Number(m[1]) * (UNITS[m[2] ?? 's'] ?? 1000));
}

/** The largest unit that shows `ms` exactly: 300000 → "5m", 1500 → "1500ms". */
export function formatDuration(ms: number): string {
  for (const [unit, size] of Object.entries(UNITS).reverse())
    if (ms % size === 0) return `${ms / size}${unit}`;
  return `${ms}ms`;
}
