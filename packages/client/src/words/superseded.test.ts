import { describe, expect, it } from 'vitest';
import { isSuperseded } from './superseded.js';

describe('isSuperseded', () => {
  it('is an expired request whose reason is SUPERSEDED, and nothing else', () => {
    expect(isSuperseded({ state: 'expired', reason: 'SUPERSEDED' })).toBe(true);
    expect(isSuperseded({ state: 'expired', reason: 'EXPIRED' })).toBe(false);
    expect(isSuperseded({ state: 'expired' })).toBe(false);
    expect(isSuperseded({ state: 'rejected', reason: 'SUPERSEDED' })).toBe(false);
    expect(isSuperseded(undefined)).toBe(false);
  });
});
