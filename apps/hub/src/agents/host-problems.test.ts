import type { AgentProblem } from '@serfbort/core';
import { describe, expect, it } from 'vitest';
import { HostProblems } from './host-problems.js';

const diskFull: AgentProblem = { code: 'DISK_FULL', detail: 'disk full (ENOSPC)', since: 1 };
const trustExpired: AgentProblem = { code: 'TRUST_EXPIRED', detail: 'trust expired', since: 2 };

describe('what agents report in their presence', () => {
  it('is kept per host, replaced by each report, and says when it changed', () => {
    const store = new HostProblems();
    expect(store.report('a', [diskFull])).toBe(true);
    expect(store.report('a', [diskFull])).toBe(false);
    expect(store.report('a', [diskFull, trustExpired])).toBe(true);
    expect(store.reported('a')).toEqual([diskFull, trustExpired]);
    expect(store.report('a', [])).toBe(true);
    expect(store.reported('a')).toBeUndefined();
  });

  it('is forgotten when the host’s connection ends', () => {
    const store = new HostProblems();
    store.report('a', [diskFull]);
    expect(store.forget('a')).toBe(true);
    expect(store.reported('a')).toBeUndefined();
  });

  it('is counted per problem for the gauge, zeros included', () => {
    const store = new HostProblems();
    store.report('a', [diskFull]);
    store.report('b', [diskFull, trustExpired]);
    expect(store.counts()).toEqual({
      DISK_FULL: 2,
      STATE_UNWRITABLE: 0,
      TRUST_EXPIRED: 1,
      CLOCK_SKEW: 0,
    });
  });
});
