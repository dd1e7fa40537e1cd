import type { DeployRequest } from '@serfbort/core';
import { describe, expect, it } from 'vitest';
import { stepRequestMismatch } from './belongs.js';

const rollout = {
  id: 'r1',
  app: 'web',
  version: 'v2',
  expect: 'abc123',
  steps: [
    { index: 0, kind: 'batch' as const, hosts: ['w-1', 'w-2'] },
    { index: 1, kind: 'rollback' as const, hosts: ['w-1'], version: 'v1' },
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
  expect: 'abc123',
  rollout: { id: 'r1', step: 0, steps: 2 },
  ...over,
});

describe('stepRequestMismatch', () => {
  it("accepts the step's own request, hosts in any order", () => {
    expect(stepRequestMismatch(request({}), rollout, rollout.steps[0]!)).toBeNull();
  });

  it('refuses a request that expects another result, or none', () => {
    expect(stepRequestMismatch(request({ expect: 'def456' }), rollout, rollout.steps[0]!)).toBe(
      'it expects another result',
    );
    expect(stepRequestMismatch(request({ expect: undefined }), rollout, rollout.steps[0]!)).toBe(
      'it expects another result',
    );
  });

  it('lets a rollback step go back to its own version without the expected result', () => {
    const back = request({
      version: 'v1',
      target: { hosts: ['w-1'] },
      expect: undefined,
      rollout: { id: 'r1', step: 1, steps: 2 },
    });
    expect(stepRequestMismatch(back, rollout, rollout.steps[1]!)).toBeNull();
    expect(stepRequestMismatch({ ...back, version: 'v2' }, rollout, rollout.steps[1]!)).toBe(
      'it deploys another version',
    );
  });
});
