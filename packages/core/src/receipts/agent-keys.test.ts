import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../digest.js';
import { toBase64 } from '../encoding.js';
import type { Envelope } from '../envelope/envelope.js';
import { signPayload } from '../envelope/envelope.js';
import { PAYLOAD_TYPES, payloadTypeOf } from '../envelope/payload-types.js';
import { signerFor } from '../keys/signer.js';
import { SPEAKS_THIS_BUILD } from '../protocol/versions.js';
import type { AgentKeyRecord } from '../protocol/views.js';
import { DAY, key, keyring, NOW, root, trustFrom, verifier } from '../testing/fixtures.js';
import { verifyAgentKey } from './agent-keys.js';

const rootKey = key(60);
const alice = key(61);
const agentKey = key(62);
const trust = trustFrom(root([rootKey]), keyring([{ name: 'alice', key: alice }], [rootKey]));
const token = 'enrollment-token-0123456789';
const grant = signPayload(
  PAYLOAD_TYPES.enrollmentGrant,
  {
    type: 'enrollment-grant',
    tokenHash: sha256Hex(token),
    issuedAt: NOW,
    expiresAt: NOW + DAY,
  },
  [signerFor(alice)],
);
const helloFields = {
  type: 'agent-auth',
  nonce: 'nonce-0123456789abcdef',
  hubId: 'hub-1',
  host: 'edge1',
  publicKey: toBase64(agentKey.publicKey),
  labels: {},
  apps: ['web'],
  agentVersion: '0.2.0',
  at: NOW + 1000,
  enrollmentToken: token,
};
const record = (hello: Envelope): AgentKeyRecord => ({
  host: 'edge1',
  keyId: agentKey.keyId,
  publicKey: toBase64(agentKey.publicKey),
  evidence: { kind: 'enrollment' as const, grant, hello },
});
const sign = (type: string, payload: unknown) => signPayload(type, payload, [signerFor(agentKey)]);

describe('an agent key believed from its enrollment', () => {
  it('accepts the enrolling hello in either version', () => {
    const v1 = sign(PAYLOAD_TYPES.agentAuth, helloFields);
    const v2 = sign(payloadTypeOf('agentAuth', 2), { ...helloFields, speaks: SPEAKS_THIS_BUILD });
    for (const hello of [v1, v2])
      expect(verifyAgentKey(record(hello), trust.keyring!, verifier)).toMatchObject({
        ok: true,
        host: 'edge1',
      });
  });

  it('refuses a hello of a version it does not read, or with fields its version lacks', () => {
    const v99 = sign(payloadTypeOf('agentAuth', 99), helloFields);
    const extra = sign(PAYLOAD_TYPES.agentAuth, { ...helloFields, speaks: SPEAKS_THIS_BUILD });
    expect(verifyAgentKey(record(v99), trust.keyring!, verifier)).toEqual({
      ok: false,
      code: 'UNSUPPORTED_VERSION',
      detail: 'hello: UNSUPPORTED_VERSION',
    });
    expect(verifyAgentKey(record(extra), trust.keyring!, verifier)).toEqual({
      ok: false,
      code: 'MALFORMED',
      detail: 'hello: malformed',
    });
  });
});

describe('an agent key believed from an approval', () => {
  const fields = {
    type: 'approval',
    host: 'edge1',
    agentKeyId: agentKey.keyId,
    agentPublicKey: toBase64(agentKey.publicKey),
    approvedAt: NOW,
  };
  const approved = (type: string, payload: unknown): AgentKeyRecord => ({
    host: 'edge1',
    keyId: agentKey.keyId,
    publicKey: toBase64(agentKey.publicKey),
    evidence: { kind: 'approval', approval: signPayload(type, payload, [signerFor(alice)]) },
  });
  const v2 = payloadTypeOf('approval', 2);

  it('version 2 vouches for the labels it signs', () => {
    const r = approved(v2, { ...fields, labels: { role: 'web' } });
    expect(verifyAgentKey(r, trust.keyring!, verifier)).toMatchObject({
      ok: true,
      host: 'edge1',
      labels: { role: 'web' },
    });
  });

  it('version 1 still vouches for the key, and for no labels', () => {
    const r = approved(PAYLOAD_TYPES.approval, fields);
    expect(verifyAgentKey(r, trust.keyring!, verifier)).toMatchObject({ ok: true, labels: null });
  });

  it('refuses labels in a version-1 approval and a version 2 without them', () => {
    const v1Labels = approved(PAYLOAD_TYPES.approval, { ...fields, labels: { role: 'db' } });
    expect(verifyAgentKey(v1Labels, trust.keyring!, verifier)).toMatchObject({
      ok: false,
      code: 'MALFORMED',
    });
    expect(verifyAgentKey(approved(v2, fields), trust.keyring!, verifier)).toMatchObject({
      ok: false,
      code: 'MALFORMED',
    });
  });

  it('refuses an approval for another host', () => {
    const r = approved(v2, { ...fields, host: 'edge2', labels: {} });
    expect(verifyAgentKey(r, trust.keyring!, verifier)).toMatchObject({
      ok: false,
      code: 'EVIDENCE_MISMATCH',
    });
  });
});
