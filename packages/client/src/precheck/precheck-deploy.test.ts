import { LIMITS } from '@serfbort/core';
import { describe, expect, it } from 'vitest';
import { precheckDeploy } from './precheck-deploy.js';

const good = {
  app: 'web',
  version: 'v1.2.3',
  target: { selector: 'role==web , !canary' },
  lifetimeMs: 3_600_000,
};

describe('precheckDeploy', () => {
  it('passes good input, with the selector canonical and host names once', () => {
    expect(precheckDeploy(good)).toEqual({
      ok: true,
      fields: { ...good, target: { selector: 'role=web,!canary' } },
    });
    const named = precheckDeploy({ ...good, target: { hosts: ['weba', 'webb', 'weba'] } });
    expect(named.ok && named.fields.target).toEqual({ hosts: ['weba', 'webb'] });
  });

  it('names every refused field with its code', () => {
    const verdict = precheckDeploy({
      app: 'Web App',
      version: '--upload-pack=x',
      expect: 'v1;rm',
      target: { selector: 'role in (web' },
      lifetimeMs: LIMITS.maxRequestLifetimeMs * 2,
    });
    expect(verdict.ok).toBe(false);
    if (verdict.ok) return;
    expect(verdict.refusals.map((r) => [r.field, r.code])).toEqual([
      ['app', 'BAD_APP'],
      ['version', 'BAD_VERSION'],
      ['expect', 'BAD_VERSION'],
      ['target', 'BAD_SELECTOR'],
      ['lifetime', 'LIFETIME_TOO_LONG'],
    ]);
    expect(verdict.refusals[1]?.detail).toBe(
      "version '--upload-pack=x': a version must not start with -",
    );
  });

  it.each([
    [[], 'name at least one host'],
    [['Web_A'], "'Web_A' is not a host name (lowercase letters, digits, dots and dashes)"],
  ])('refuses the host list %j', (hosts, detail) => {
    expect(precheckDeploy({ ...good, target: { hosts } })).toEqual({
      ok: false,
      refusals: [{ field: 'target', code: 'BAD_HOSTS', detail }],
    });
  });
});
