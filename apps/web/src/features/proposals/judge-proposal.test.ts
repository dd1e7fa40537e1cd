import type { DeploymentView, Envelope, ProposalView, TrustState } from '@serfbort/core';
import { key, signDeploy, signKeyring, signRoot } from '@serfbort/testkit';
import { describe, expect, it } from 'vitest';
import { verifyTrustBundle } from '@/lib/trust/verify-trust';
import { judgeProposal } from './judge-proposal';
import { trustStateOf } from './target-hosts';

const now = Date.now();
const rootKey = key(1);
const alice = key(2);
const bob = key(3);
const revoked = key(7);

function trust(): TrustState {
  const root = signRoot({ keys: [rootKey] }, [rootKey], now);
  const keyring = signKeyring(
    {
      operators: [
        { name: 'alice', key: alice },
        { name: 'bob', key: bob },
      ],
      policies: { creds: { threshold: 2 } },
    },
    [rootKey],
    now,
  );
  const view = verifyTrustBundle({ roots: [root.envelope], keyring: keyring.envelope }, null, now);
  const state = trustStateOf(view);
  if (!state) throw new Error(`no trust: ${view.error?.code}`);
  return state;
}
const state = trust();

function proposal(over: Partial<ProposalView> = {}, envelope?: Envelope): ProposalView {
  const signed = signDeploy(
    { app: 'creds', version: 'v2', target: { selector: 'role=web' }, id: 'req-cosign-0001' },
    [alice],
    now,
  );
  return {
    requestId: 'req-cosign-0001',
    envelope: envelope ?? signed.envelope,
    proposedBy: alice.keyId,
    createdAt: now,
    expiresAt: now + 3_600_000,
    status: 'open',
    ...over,
  };
}
const honest = proposal();

describe('judgeProposal', () => {
  it('shows an honest proposal as open, one of two signatures, with its exact bytes', () => {
    const j = judgeProposal(honest, state, now);
    expect(j.ok).toBe(true);
    if (!j.ok) return;
    expect(j.status).toBe('open');
    expect(j.verified).toMatchObject({ have: 1, threshold: 2, missing: 1 });
    expect(j.prepared.text).toBe(Buffer.from(honest.envelope.payload, 'base64').toString());
  });

  it('refuses a payload the hub changed', () => {
    const text = Buffer.from(honest.envelope.payload, 'base64').toString();
    const payload = Buffer.from(text.replace('"v2"', '"v3"')).toString('base64');
    const j = judgeProposal(proposal({}, { ...honest.envelope, payload }), state, now);
    expect(j).toMatchObject({ ok: false, code: 'BAD_SIGNATURE' });
  });

  it('refuses a signature the hub invented for a keyring key', () => {
    const sig = Buffer.alloc(64, 7).toString('base64');
    const envelope = {
      ...honest.envelope,
      signatures: [...honest.envelope.signatures, { keyid: bob.keyId, sig }],
    };
    const j = judgeProposal(proposal({}, envelope), state, now);
    expect(j).toMatchObject({ ok: false, code: 'BAD_SIGNATURE' });
    expect(j.ok ? '' : j.detail).toContain('bob');
  });

  it('lists, without counting, a signature by a key no longer in the keyring', () => {
    const envelope = {
      ...honest.envelope,
      signatures: [
        ...honest.envelope.signatures,
        { keyid: revoked.keyId, sig: Buffer.alloc(64, 1).toString('base64') },
      ],
    };
    const j = judgeProposal(proposal({}, envelope), state, now);
    expect(j.ok).toBe(true);
    if (!j.ok) return;
    expect(j.verified.have).toBe(1);
    expect(j.verified.signatures.find((s) => s.keyId === revoked.keyId)).toMatchObject({
      genuine: false,
      counts: false,
    });
  });

  describe('when the hub says "submitted"', () => {
    const claimed = proposal({ status: 'submitted', deploymentId: honest.requestId });
    const deployment = (envelope: Envelope) =>
      ({ requestId: honest.requestId, envelope }) as DeploymentView;

    it('waits for the deployment before believing it', () => {
      expect(judgeProposal(claimed, state, now)).toMatchObject({ ok: true, status: 'confirming' });
    });

    it('refuses it with PROPOSAL_MISMATCH when the hub serves no such deployment', () => {
      const j = judgeProposal(claimed, state, now, undefined, null);
      expect(j).toMatchObject({ ok: false, code: 'PROPOSAL_MISMATCH' });
    });

    it('refuses it when the deployment carries other bytes', () => {
      const other = signDeploy(
        { app: 'creds', version: 'v9', target: { selector: 'role=web' }, id: honest.requestId },
        [alice, bob],
        now,
      );
      const j = judgeProposal(claimed, state, now, undefined, deployment(other.envelope));
      expect(j).toMatchObject({ ok: false, code: 'PROPOSAL_MISMATCH' });
    });

    it('believes it when the deployment carries the proposed bytes', () => {
      const j = judgeProposal(claimed, state, now, undefined, deployment(honest.envelope));
      expect(j).toMatchObject({ ok: true, status: 'submitted' });
    });
  });
});
