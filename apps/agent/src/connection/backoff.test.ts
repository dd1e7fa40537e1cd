import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff.js';

describe('backoffDelay', () => {
  it('doubles per attempt up to the ceiling, with jitter between half and all of it', () => {
    expect(backoffDelay(0, 30_000, 500, () => 0)).toBe(250);
    expect(backoffDelay(0, 30_000, 500, () => 1)).toBe(500);
    expect(backoffDelay(3, 30_000, 500, () => 1)).toBe(4000);
    expect(backoffDelay(50, 30_000, 500, () => 1)).toBe(30_000);
    expect(backoffDelay(50, 30_000, 500, () => 0)).toBe(15_000);
  });

  it('spreads a fleet out: different random draws give different delays', () => {
    const delays = new Set(Array.from({ length: 50 }, () => backoffDelay(4, 30_000)));
    expect(delays.size).toBeGreaterThan(10);
  });
});
