import { stepRequest } from '@serfbort/client';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_DRAFT,
  formatDuration,
  parseAmount,
  parseDuration,
  parseRolloutOptions,
  planMismatch,
  prepareRollout,
  previewPlan,
  rolloutStartOf,
  viewOfStart,
} from './rollout-draft';

const hosts = ['c-1', 'w-1', 'w-2', 'w-3', 'w-4'].map((name) => ({
  name,
  labels: (name.startsWith('c') ? { role: 'web', canary: '' } : { role: 'web' }) as Record<
    string,
    string
  >,
}));

describe('parseAmount', () => {
  it('reads counts and percentages', () => {
    expect(parseAmount('3', 1)).toEqual({ ok: true, value: { count: 3 } });
    expect(parseAmount(' 25% ', 1)).toEqual({ ok: true, value: { percent: 25 } });
    expect(parseAmount('12.5%', 1)).toEqual({ ok: true, value: { percent: 12.5 } });
    expect(parseAmount('0', 0)).toEqual({ ok: true, value: { count: 0 } });
  });
  it('refuses what the plan cannot use, with a sentence', () => {
    expect(parseAmount('0', 1)).toEqual({ ok: false, error: 'at least 1' });
    expect(parseAmount('101%', 0)).toEqual({ ok: false, error: 'at most 100%' });
    expect(parseAmount('-1', 0).ok).toBe(false);
    expect(parseAmount('two', 0).ok).toBe(false);
    expect(parseAmount('', 0).ok).toBe(false);
  });
});

describe('parseDuration', () => {
  it('reads units, and bare numbers as seconds', () => {
    expect(parseDuration('30s', 0, 1e9)).toEqual({ ok: true, value: 30_000 });
    expect(parseDuration('5m', 0, 1e9)).toEqual({ ok: true, value: 300_000 });
    expect(parseDuration('1h', 0, 1e9)).toEqual({ ok: true, value: 3_600_000 });
    expect(parseDuration('250ms', 0, 1e9)).toEqual({ ok: true, value: 250 });
    expect(parseDuration('2', 0, 1e9)).toEqual({ ok: true, value: 2_000 });
  });
  it('keeps to the bounds', () => {
    expect(parseDuration('500ms', 1_000, 1e9)).toEqual({ ok: false, error: 'at least 1s' });
    expect(parseDuration('2h', 0, 3_600_000)).toEqual({ ok: false, error: 'at most 1h' });
    expect(parseDuration('soon', 0, 1e9).ok).toBe(false);
  });
  it('formats back the way it reads', () => {
    expect(formatDuration(3_600_000)).toBe('1h');
    expect(formatDuration(90_000)).toBe('90s');
    expect(formatDuration(0)).toBe('0s');
    expect(formatDuration(1_500)).toBe('1500ms');
  });
});

describe('parseRolloutOptions', () => {
  it('turns the draft into the options rollout:start takes', () => {
    const parsed = parseRolloutOptions({
      ...DEFAULT_DRAFT,
      canaryMode: 'selector',
      canarySelector: ' canary ',
      batch: '2',
      wait: '1s',
      maxFailures: '10%',
      onFailure: 'halt',
      stepTimeout: '1m',
    });
    expect(parsed).toEqual({
      ok: true,
      options: {
        canary: { selector: 'canary' },
        batch: { count: 2 },
        waitMs: 1_000,
        maxFailures: { percent: 10 },
        onFailure: 'halt',
        stepTimeoutMs: 60_000,
      },
    });
  });
  it('names every bad field', () => {
    const parsed = parseRolloutOptions({
      ...DEFAULT_DRAFT,
      canaryMode: 'hosts',
      batch: '0%',
      wait: 'x',
      stepTimeout: '10ms',
    });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(Object.keys(parsed.errors).sort()).toEqual(
      ['batch', 'canaryHosts', 'stepTimeout', 'wait'].sort(),
    );
  });
});

describe('prepareRollout', () => {
  const parsed = parseRolloutOptions({
    ...DEFAULT_DRAFT,
    canaryMode: 'selector',
    canarySelector: 'canary',
    batch: '2',
  });
  const plan = previewPlan(hosts, parsed);
  if (!plan?.ok || !parsed.ok) throw new Error('the plan should build');
  const start = rolloutStartOf({
    id: 'rollout-1',
    app: 'web',
    version: 'v2',
    target: { selector: 'role=web' },
    options: parsed.options,
    plan: plan.plan,
  });

  it('plans canary first, then batches of two', () => {
    expect(plan.plan.steps.map((s) => s.hosts)).toEqual([['c-1'], ['w-1', 'w-2'], ['w-3', 'w-4']]);
    expect(plan.plan.budget).toBe(0);
  });

  it("freezes step 1's request exactly as the driver builds it from the hub's view", () => {
    const prepared = prepareRollout(start, 'key-1', 'req-1', 1_000);
    expect(prepared.first).toMatchObject({
      type: 'deploy',
      id: 'req-1',
      app: 'web',
      version: 'v2',
      target: { hosts: ['c-1'] },
      issuedAt: 1_000,
      expiresAt: 1_000 + parsed.options.stepTimeoutMs,
      signers: ['key-1'],
      rollout: { id: 'rollout-1', step: 0, steps: 3 },
    });
    // the hub's view carries other owner fields and times; the request must not change
    const hubView = { ...viewOfStart(start, 'alice', 5_000), ownerName: 'alice' };
    const driverBuilt = stepRequest(hubView, hubView.steps[0]!, {
      now: () => 1_000,
      newId: () => 'req-1',
      signerIds: ['key-1'],
    });
    expect(driverBuilt).toEqual(prepared.first);
    expect(JSON.parse(prepared.text)).toEqual(prepared.first);
    expect(prepared.digest).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses a hub answer that changed the plan', () => {
    const view = viewOfStart(start, 'alice', 0);
    expect(planMismatch(start, view)).toBeNull();
    expect(planMismatch(start, { ...view, budget: 3 })).toMatch(/budget/);
    expect(planMismatch(start, { ...view, version: 'v3' })).toMatch(/version/);
    const widened = view.steps.map((s, i) => (i === 0 ? { ...s, hosts: ['c-1', 'w-4'] } : s));
    expect(planMismatch(start, { ...view, steps: widened })).toBe('other steps');
    expect(planMismatch(start, { ...view, options: { ...view.options, onFailure: 'halt' } })).toBe(
      'other options',
    );
  });
});
