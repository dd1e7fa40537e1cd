import { deployRequest, LIMITS, utf8Decode } from '@serfbort/core';
import { describe, expect, it } from 'vitest';
import { NOW } from '../testing/fixtures.js';
import { buildDeployRequest, deployRequestOrThrow, type RequestRefused } from './build-request.js';
import { signedBytesOf } from './signed-bytes.js';

const source = {
  now: () => NOW,
  newId: () => 'r3qu3st-1d-0f-22-chars',
  signerIds: ['a'.repeat(32)],
};
const fields = {
  app: 'web',
  version: 'v1.2.3',
  target: { selector: 'role=web' },
  lifetimeMs: 60_000,
};

describe('buildDeployRequest', () => {
  it('builds a schema-valid request from the fields and the injected time, id and signers', () => {
    const built = buildDeployRequest({ ...fields, expect: 'abc123' }, source);
    expect(built).toEqual({
      ok: true,
      value: {
        type: 'deploy',
        id: 'r3qu3st-1d-0f-22-chars',
        app: 'web',
        version: 'v1.2.3',
        target: { selector: 'role=web' },
        issuedAt: NOW,
        expiresAt: NOW + 60_000,
        signers: ['a'.repeat(32)],
        expect: 'abc123',
      },
    });
    if (built.ok) expect(deployRequest.safeParse(built.value).success).toBe(true);
  });

  it('names each signing key once', () => {
    const twice = { ...source, signerIds: ['a'.repeat(32), 'b'.repeat(32), 'a'.repeat(32)] };
    const built = deployRequestOrThrow(fields, twice);
    expect(built.signers).toEqual(['a'.repeat(32), 'b'.repeat(32)]);
  });

  it('refuses a lifetime over the limit instead of clamping it, naming the limit', () => {
    expect(
      buildDeployRequest({ ...fields, lifetimeMs: LIMITS.maxRequestLifetimeMs + 1_000 }, source),
    ).toEqual({
      ok: false,
      code: 'LIFETIME_TOO_LONG',
      detail: 'a request lives at most 7d, asked for 604801s',
    });
    expect(
      buildDeployRequest({ ...fields, lifetimeMs: LIMITS.maxRequestLifetimeMs }, source).ok,
    ).toBe(true);
    expect(() => deployRequestOrThrow({ ...fields, lifetimeMs: 0 }, source)).toThrow(
      expect.objectContaining({ code: 'BAD_DURATION' }) as RequestRefused,
    );
  });

  it('carries a rollout step as given', () => {
    const step = { id: 'rollout-1', step: 1, steps: 3 };
    expect(deployRequestOrThrow({ ...fields, rollout: step }, source).rollout).toEqual(step);
  });
});

describe('signedBytesOf', () => {
  it('shows as text exactly the canonical bytes it digests', () => {
    const s = signedBytesOf(deployRequestOrThrow(fields, source));
    expect(utf8Decode(s.bytes)).toBe(s.text);
    expect(Object.keys(JSON.parse(s.text))).toEqual(Object.keys(JSON.parse(s.text)).sort());
    expect(s.digest).toMatch(/^[0-9a-f]{64}$/);
  });
});
