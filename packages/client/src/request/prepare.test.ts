import { LIMITS, sha256Hex } from '@serfbort/core';
import { describe, expect, it } from 'vitest';
import { NOW } from '../testing/fixtures.js';
import { prepareDeployRequest } from './prepare.js';

const source = { now: () => NOW, newId: () => 'prepared-0001', signerIds: ['a'.repeat(32)] };
const input = { app: 'web', version: 'v2', target: { selector: 'role==web' }, lifetimeMs: 60_000 };

describe('prepareDeployRequest', () => {
  it('pre-checks, builds and freezes the bytes of a canonical request', () => {
    const p = prepareDeployRequest(input, source);
    if (!p.ok) throw new Error('the input should pass');
    expect(p.request.target).toEqual({ selector: 'role=web' });
    expect(JSON.parse(p.text)).toEqual(p.request);
    expect(p.digest).toBe(sha256Hex(p.bytes));
  });

  it('signs nothing when any field is refused', () => {
    const p = prepareDeployRequest(
      { ...input, version: '-x', lifetimeMs: LIMITS.maxRequestLifetimeMs + 1 },
      source,
    );
    expect(p.ok === false && p.refusals.map((r) => r.code)).toEqual([
      'BAD_VERSION',
      'LIFETIME_TOO_LONG',
    ]);
  });
});
