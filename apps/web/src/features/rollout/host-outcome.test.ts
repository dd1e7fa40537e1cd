import { stepRequestMismatch } from '@serfbort/client';
import type { DeployRequest } from '@serfbort/core';
import { describe, expect, it } from 'vitest';
import { hostOutcome, mergeHost } from './host-outcome';

describe('hostOutcome', () => {
  it('believes a verified receipt, and only that', () => {
    expect(hostOutcome({ state: 'succeeded', verified: 'succeeded' })).toEqual({
      result: 'succeeded',
      final: true,
      failing: false,
    });
    expect(hostOutcome({ state: 'succeeded', verified: 'failed' }).failing).toBe(true);
    expect(hostOutcome({ state: 'succeeded', unverified: true })).toEqual({
      result: 'unverified',
      final: true,
      failing: true,
    });
    // the hub says succeeded but shows no receipt
    expect(hostOutcome({ state: 'succeeded' }).result).toBe('unverified');
  });
  it('counts a host that never answered as failed', () => {
    expect(hostOutcome({ state: 'expired' })).toEqual({
      result: 'silent',
      final: true,
      failing: true,
    });
    expect(hostOutcome({ state: 'pending', driver: 'offline-pending' }).result).toBe(
      'offline-pending',
    );
  });
  it('shows a host still at work as in progress, not failing', () => {
    expect(hostOutcome({ state: 'running' })).toEqual({
      result: 'running',
      final: false,
      failing: false,
    });
    expect(hostOutcome({ state: undefined }).result).toBe('pending');
  });
});

describe('stepRequestMismatch', () => {
  const rollout = {
    id: 'r1',
    app: 'web',
    version: 'v2',
    steps: [
      { index: 0, kind: 'canary' as const, hosts: ['c-1'] },
      { index: 1, kind: 'batch' as const, hosts: ['w-1', 'w-2'] },
    ],
  };
  const request = (over: Partial<DeployRequest>): DeployRequest => ({
    type: 'deploy',
    id: 'q1',
    app: 'web',
    version: 'v2',
    target: { hosts: ['w-2', 'w-1'] },
    issuedAt: 0,
    expiresAt: 1,
    signers: ['k'],
    rollout: { id: 'r1', step: 1, steps: 2 },
    ...over,
  });
  const step = rollout.steps[1]!;
  it("accepts the step's own request", () => {
    expect(stepRequestMismatch(request({}), rollout, step)).toBeNull();
  });
  it('refuses one widened, moved or of another rollout', () => {
    expect(
      stepRequestMismatch(request({ target: { hosts: ['w-1', 'w-2', 'c-1'] } }), rollout, step),
    ).toMatch(/other hosts/);
    expect(
      stepRequestMismatch(request({ target: { selector: 'role=web' } }), rollout, step),
    ).toMatch(/other hosts/);
    expect(
      stepRequestMismatch(request({ rollout: { id: 'r1', step: 0, steps: 2 } }), rollout, step),
    ).toMatch(/another step/);
    expect(
      stepRequestMismatch(request({ rollout: { id: 'r9', step: 1, steps: 2 } }), rollout, step),
    ).toMatch(/another rollout/);
    expect(stepRequestMismatch(request({ version: 'v3' }), rollout, step)).toMatch(/version/);
  });
});

describe('mergeHost', () => {
  const at = (state: 'running' | 'succeeded' | 'pending', updatedAt: number, receipt = false) => ({
    host: 'w-1',
    state,
    updatedAt,
    ...(receipt ? { receipt: { payloadType: 'x', payload: 'e30', signatures: [] } } : {}),
  });
  it('keeps a final state with its receipt over a late snapshot', () => {
    expect(mergeHost(at('succeeded', 5, true), at('running', 9)).state).toBe('succeeded');
    expect(mergeHost(at('succeeded', 5, true), at('succeeded', 9)).receipt).toBeDefined();
  });
  it('takes the newer of two states in progress, and any final over one in progress', () => {
    expect(mergeHost(at('running', 9), at('pending', 5)).state).toBe('running');
    expect(mergeHost(at('pending', 5), at('running', 9)).state).toBe('running');
    expect(mergeHost(at('running', 9), at('succeeded', 5, true)).state).toBe('succeeded');
  });
});
