import { startedRolloutMismatch as planMismatch, stepRequest } from '@serfbort/client';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_DRAFT,
  parseRolloutOptions,
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
    expect(parsed.errors).toEqual({
      batch: "more than 0%, found '0%'",
      canaryHosts: 'pick at least one host',
      stepTimeout: "at least 1s, found '10ms'",
      wait: "expected a whole number and a unit (ms, s, m, h, d, w) such as 30s, 10m or 7d, found 'x'",
    });
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
