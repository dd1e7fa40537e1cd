import type {
  DeploymentView,
  DeployRequest,
  Envelope,
  KeyPair,
  ProposalView,
  TrustState,
} from '@serfbort/core';
import {
  fromBase64,
  PAYLOAD_TYPES,
  pae,
  signerFor,
  signPayload,
  toBase64,
  utf8Decode,
  utf8Encode,
  verifyInitialRoot,
  verifyKeyring,
} from '@serfbort/core';
import { describe, expect, it } from 'vitest';
import { key, NOW, verifier } from '../testing/fixtures.js';
import { confirmSubmitted, coSign, mayCoSign } from './co-sign.js';
import type { VerifiedProposal } from './verify-proposal.js';
import { verifyProposal } from './verify-proposal.js';

const DAY = 86_400_000;
const rootKey = key(1);
const alice = key(2);
const bob = key(3);
const carol = key(5);
const mallory = key(9);
const listed = (k: KeyPair) => ({ keyId: k.keyId, publicKey: toBase64(k.publicKey) });

function trust(): TrustState {
  const rootDoc = {
    type: 'root',
    version: 1,
    issuedAt: NOW - DAY,
    expiresAt: NOW + 365 * DAY,
    threshold: 1,
    keys: [listed(rootKey)],
  };
  const root = verifyInitialRoot(
    signPayload(PAYLOAD_TYPES.root, rootDoc, [signerFor(rootKey)]),
    verifier,
  );
  if (!root.ok) throw new Error(root.reason);
  const op = (name: string, k: KeyPair, selectors = ['*']) => ({
    name,
    ...listed(k),
    apps: ['*'],
    selectors,
  });
  const keyringDoc = {
    type: 'keyring',
    version: 1,
    issuedAt: NOW - DAY,
    expiresAt: NOW + 30 * DAY,
    operators: [op('alice', alice), op('bob', bob), op('carol', carol, ['role=db'])],
    policies: { creds: { threshold: 2 } },
  };
  const keyring = verifyKeyring(
    root.value.root,
    signPayload(PAYLOAD_TYPES.keyring, keyringDoc, [signerFor(rootKey)]),
    verifier,
    { now: NOW },
  );
  if (!keyring.ok) throw new Error(keyring.reason);
  return { root: root.value, keyring: keyring.value };
}
const verified = trust();
const webHosts = [{ name: 'web-1', labels: { role: 'web' } }];

const request = (over: Partial<DeployRequest> = {}): DeployRequest => ({
  type: 'deploy',
  id: 'req-0000000000000001',
  app: 'creds',
  version: 'v1',
  target: { hosts: ['web-1'] },
  issuedAt: NOW - 1000,
  expiresAt: NOW + 3_600_000,
  signers: [alice.keyId],
  ...over,
});

const proposalOf = (envelope: Envelope, over: Partial<ProposalView> = {}): ProposalView => ({
  requestId: 'req-0000000000000001',
  envelope,
  proposedBy: alice.keyId,
  proposedByName: 'alice',
  createdAt: NOW - 1000,
  expiresAt: NOW + 3_600_000,
  status: 'open',
  ...over,
});

const signed = (by: KeyPair[], over: Partial<DeployRequest> = {}) =>
  signPayload(
    PAYLOAD_TYPES.deploy,
    request(over),
    by.map((k) => signerFor(k)),
  );

function verify(view: ProposalView): VerifiedProposal {
  const v = verifyProposal(view, verified, NOW, verifier, webHosts);
  if (!v.ok) throw new Error(`${v.code}: ${v.detail}`);
  return v;
}

describe('an honest proposal', () => {
  it('names its genuine signer and the one signature still missing', () => {
    const p = verify(proposalOf(signed([alice])));
    expect(p.signatures).toEqual([
      { keyId: alice.keyId, name: 'alice', genuine: true, counts: true },
    ]);
    expect({ threshold: p.threshold, have: p.have, missing: p.missing }).toEqual({
      threshold: 2,
      have: 1,
      missing: 1,
    });
    expect(p.proposerSigned).toBe(true);
    expect(p.request.version).toBe('v1');
  });

  it('lets bob co-sign over the exact bytes, and then counts two', () => {
    const p = verify(proposalOf(signed([alice])));
    expect(mayCoSign(p, bob.keyId)).toEqual({ ok: true });
    const sig = coSign(p, signerFor(bob));
    expect(sig.keyid).toBe(bob.keyId);
    const message = pae(p.envelope.payloadType, p.payloadBytes);
    expect(verifier.verify(message, fromBase64(sig.sig), bob.publicKey)).toBe(true);
    const after = verify(
      proposalOf({ ...p.envelope, signatures: [...p.envelope.signatures, sig] }),
    );
    expect({ have: after.have, missing: after.missing }).toEqual({ have: 2, missing: 0 });
  });

  it('refuses a second signature by alice, and carol (not allowed web hosts)', () => {
    const p = verify(proposalOf(signed([alice])));
    expect(mayCoSign(p, alice.keyId)).toMatchObject({ ok: false, code: 'ALREADY_SIGNED' });
    expect(mayCoSign(p, carol.keyId)).toMatchObject({ ok: false, code: 'SIGNER_NOT_ALLOWED' });
  });
});

describe('a hostile hub', () => {
  it('that alters the payload is caught: no signature verifies (BAD_SIGNATURE)', () => {
    const env = signed([alice]);
    const text = utf8Decode(fromBase64(env.payload)).replace('"v1"', '"v6"');
    const altered = { ...env, payload: toBase64(utf8Encode(text)) };
    expect(verifyProposal(proposalOf(altered), verified, NOW, verifier, webHosts)).toMatchObject({
      ok: false,
      code: 'BAD_SIGNATURE',
    });
  });

  it('that invents a signature for bob is refused: the hub checks every one it stores', () => {
    const env = signed([alice]);
    const invented = { keyid: bob.keyId, sig: env.signatures[0]!.sig };
    const v = verifyProposal(
      proposalOf({ ...env, signatures: [...env.signatures, invented] }),
      verified,
      NOW,
      verifier,
      webHosts,
    );
    expect(v).toMatchObject({ ok: false, code: 'BAD_SIGNATURE' });
    expect(v.ok ? '' : v.detail).toContain('attributed to bob');
  });

  it('that signs with a key of its own gets nothing counted', () => {
    const env = signed([alice]);
    const other = signed([mallory]).signatures[0]!;
    const p = verify(proposalOf({ ...env, signatures: [...env.signatures, other] }));
    expect(p.signatures[1]).toMatchObject({ keyId: mallory.keyId, genuine: false });
    expect(p.signatures[1]!.name).toBeUndefined();
    expect(p.missing).toBe(1);
  });

  it('that serves a request under another id is caught (WRONG_REQUEST)', () => {
    const v = verifyProposal(
      proposalOf(signed([alice]), { requestId: 'req-0000000000000999' }),
      verified,
      NOW,
      verifier,
      webHosts,
    );
    expect(v).toMatchObject({ ok: false, code: 'WRONG_REQUEST' });
  });

  it('that serves a malformed payload is refused before anything is shown (MALFORMED)', () => {
    const bytes = utf8Encode('{"type":"deploy","id":"x"}');
    const env: Envelope = {
      payloadType: PAYLOAD_TYPES.deploy,
      payload: toBase64(bytes),
      signatures: [
        {
          keyid: alice.keyId,
          sig: toBase64(signerFor(alice).sign(pae(PAYLOAD_TYPES.deploy, bytes))),
        },
      ],
    };
    expect(verifyProposal(proposalOf(env), verified, NOW, verifier)).toMatchObject({
      ok: false,
      code: 'MALFORMED',
    });
  });

  it('that keeps an expired request open is caught (EXPIRED)', () => {
    const env = signed([alice], { expiresAt: NOW - 1 });
    expect(verifyProposal(proposalOf(env), verified, NOW, verifier)).toMatchObject({
      ok: false,
      code: 'EXPIRED',
    });
  });

  it('that claims bob proposed it is shown as unbacked by a signature', () => {
    const p = verify(proposalOf(signed([alice]), { proposedBy: bob.keyId, proposedByName: 'bob' }));
    expect(p.proposerSigned).toBe(false);
  });

  it('that marks it submitted without a deployment, or with another payload, is caught', () => {
    const p = verify(
      proposalOf(signed([alice]), { status: 'submitted', deploymentId: 'req-0000000000000001' }),
    );
    expect(confirmSubmitted(p, undefined)).toMatchObject({ ok: false, code: 'PROPOSAL_MISMATCH' });
    const other = signed([alice, bob], { version: 'v2' });
    const deployment = { requestId: p.requestId, envelope: other } as DeploymentView;
    expect(confirmSubmitted(p, deployment)).toMatchObject({ ok: false, code: 'PROPOSAL_MISMATCH' });
    const same = { requestId: p.requestId, envelope: signed([alice, bob]) } as DeploymentView;
    expect(confirmSubmitted(p, same)).toEqual({ ok: true });
  });
});
