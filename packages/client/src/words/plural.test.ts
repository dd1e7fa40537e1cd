import { describe, expect, it } from 'vitest';
import { plural } from './plural.js';

describe('plural', () => {
  it('agrees with its count', () => {
    expect(plural(1, 'host')).toBe('1 host');
    expect(plural(2, 'host')).toBe('2 hosts');
    expect(plural(0, 'failure')).toBe('0 failures');
    expect(plural(1, 'match', 'matches')).toBe('1 match');
    expect(plural(3, 'match', 'matches')).toBe('3 matches');
  });
});
