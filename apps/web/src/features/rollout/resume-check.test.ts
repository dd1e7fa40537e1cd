import {
  type DeploymentView,
  type DeployRequest,
  keyPairFromSeed,
  PAYLOAD_TYPES,
  type RolloutView,
  signerFor,
  signPayload,
  type VerifiedKeyring,
} from '@serfbort/core';
import { haltAtFirstFailure } from '@serfbort/testkit';
import { describe, expect, it } from 'vitest';
import { planOf, releasedStepsMismatch } from './resume-check';

const alice = keyPairFromSeed(new Uint8Array(32).fill(7));
const keyring = { operatorKeys: new Map([[alice.keyId, alice.publicKey]]) } as VerifiedKeyring;
const now = Date.now();

const rollout: RolloutView = {
  id: 'rollout-1',
  app: 'web',
  version: 'v2',
  target: { selector: 'role=web' },
  kind: 'rollout',
  options: haltAtFirstFailure(),
  budget: 0,
  total: 2,
  lockTtlMs: 60_000,
  steps: [
    { index: 0, kind: 'batch', hosts: ['w-1'], requestId: 'request-1' },
    { index: 1, kind: 'batch', hosts: ['w-2'] },
  ],
  status: 'expired',
  ownerKeyId: alice.keyId,
  ownerName: 'alice',
  createdAt: now,
  updatedAt: now,
};

function deployment(over: Partial<DeployRequest> = {}): DeploymentView {
  const request: DeployRequest = {
    type: 'deploy',
    id: 'request-1',
    app: 'web',
    version: 'v2',
    target: { hosts: ['w-1'] },
    issuedAt: now,
    expiresAt: now + 60_000,
    signers: [alice.keyId],
    rollout: { id: 'rollout-1', step: 0, steps: 2 },
    ...over,
  };
  return {
    requestId: 'request-1',
    envelope: signPayload(PAYLOAD_TYPES.deploy, request, [signerFor(alice)]),
  } as DeploymentView;
}

describe('releasedStepsMismatch', () => {
  it('resumes a plan that agrees with the steps already signed', async () => {
    await expect(releasedStepsMismatch(rollout, async () => deployment(), keyring)).resolves.toBe(
      null,
    );
  });
  it('refuses a plan whose version the hub swapped', async () => {
    await expect(
      releasedStepsMismatch({ ...rollout, version: 'v3' }, async () => deployment(), keyring),
    ).resolves.toMatch(/another version/);
  });
  it('refuses a step whose signed request names other hosts, or does not verify', async () => {
    await expect(
      releasedStepsMismatch(
        rollout,
        async () => deployment({ target: { hosts: ['w-1', 'w-2'] } }),
        keyring,
      ),
    ).resolves.toMatch(/other hosts/);
    await expect(releasedStepsMismatch(rollout, async () => deployment(), null)).resolves.toMatch(
      /does not verify/,
    );
  });
});

describe('planOf', () => {
  it('ignores status and lock, not the version or the steps', () => {
    expect(planOf({ ...rollout, status: 'running', updatedAt: now + 1 })).toBe(planOf(rollout));
    expect(planOf({ ...rollout, version: 'v3' })).not.toBe(planOf(rollout));
    const widened = rollout.steps.map((s, i) => (i === 1 ? { ...s, hosts: ['w-2', 'w-3'] } : s));
    expect(planOf({ ...rollout, steps: widened })).not.toBe(planOf(rollout));
  });
});
