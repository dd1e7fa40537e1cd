import { LIMITS } from '@serfbort/core';
import type { Checked } from '../codes.js';
import { refuse } from '../codes.js';
import { formatDuration } from '../grammar/duration.js';

/**
 * How long a signed request may live. Refused, never clamped: what the operator confirms
 * is what gets signed, so a face that asked for more must say so and ask again.
 */
export function checkLifetime(ms: number): Checked<number> {
  if (!Number.isSafeInteger(ms) || ms < 1)
    return refuse(
      'BAD_DURATION',
      `a request's lifetime is a whole number of ms above zero, found ${ms}`,
    );
  if (ms > LIMITS.maxRequestLifetimeMs)
    return refuse(
      'LIFETIME_TOO_LONG',
      `a request lives at most ${formatDuration(LIMITS.maxRequestLifetimeMs)}, asked for ${formatDuration(ms)}`,
    );
  return { ok: true, value: ms };
}
