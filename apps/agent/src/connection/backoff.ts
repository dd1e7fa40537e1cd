/**
 * Exponential backoff with jitter: attempt n waits a random time between half and all
 * of min(max, base·2ⁿ), so a fleet that lost its hub does not come back in lockstep.
 */
export function backoffDelay(
  attempt: number,
  maxMs: number,
  baseMs = 500,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
