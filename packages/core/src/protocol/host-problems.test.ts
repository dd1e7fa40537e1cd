import { describe, expect, it } from 'vitest';
import { hostProblemLabel, hostProblemTexts } from './host-problems.js';

const skew = { code: 'CLOCK_SKEW' as const, detail: 'clock skew 600 s', skewMs: 600_000, at: 1 };

describe('a host’s problems in words', () => {
  it('names what the online agent reports, in fixed words rather than its own text', () => {
    expect(
      hostProblemTexts({
        state: 'online',
        problems: [
          { code: 'DISK_FULL', detail: 'anything the agent says', since: 1 },
          { code: 'TRUST_EXPIRED', detail: '…', since: 1 },
        ],
      }),
    ).toEqual(['disk full', 'trust expired']);
  });

  it('names a refused hello only while the host is not online', () => {
    expect(hostProblemTexts({ state: 'left', problem: skew })).toEqual(['clock skew 600 s']);
    expect(hostProblemTexts({ state: 'online', problem: skew })).toEqual([]);
  });

  it('labels metrics in snake case', () => {
    expect(hostProblemLabel('DISK_FULL')).toBe('disk_full');
    expect(hostProblemLabel('CLOCK_SKEW')).toBe('clock_skew');
  });
});
