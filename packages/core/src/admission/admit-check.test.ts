import { describe, expect, it } from 'vitest';
import { signPayload } from '../envelope/envelope.js';
import { PAYLOAD_TYPES } from '../envelope/payload-types.js';
import type { KeyPair } from '../keys/signer.js';
import { signerFor } from '../keys/signer.js';
import type { CheckRequestPayload } from '../schemas/check.js';
import { key, keyring, NOW, root, trustFrom, verifier } from '../testing/fixtures.js';
import { admitCheckRequest } from './admit-check.js';

const rootKey = key(50);
const alice = key(51); // may act on anything anywhere
const dbOnly = key(52); // only role=db
const trust = trustFrom(
  root([rootKey]),
  keyring(
    [
      { name: 'alice', key: alice },
      { name: 'dbonly', key: dbOnly, selectors: ['role=db'] },
    ],
    [rootKey],
  ),
);
const agent = { name: 'weba', labels: { role: 'web' } };
const NONCE = 'AAAAAAAAAAAAAAAAAAAAAA';

function request(over: Partial<CheckRequestPayload>, signers: KeyPair[] = [alice]) {
  const payload: CheckRequestPayload = {
    type: 'check-request',
    app: 'web',
    target: { hosts: ['weba'] },
    nonce: NONCE,
    issuedAt: NOW - 1_000,
    expiresAt: NOW + 60_000,
    ...over,
  };
  return signPayload(
    PAYLOAD_TYPES.checkRequest,
    payload,
    signers.map((k) => signerFor(k)),
  );
}

const admit = (envelope: unknown, now = NOW) =>
  admitCheckRequest({ envelope, trust, agent, now, verifier });

describe('an agent admitting a check request', () => {
  it('answers one signed by an operator allowed the app and this host', () => {
    const got = admit(request({}));
    expect(got.ok).toBe(true);
  });

  it('answers one without a target (every host with the app)', () => {
    const { target: _target, ...payload } = {
      type: 'check-request',
      app: 'web',
      target: {},
      nonce: NONCE,
      issuedAt: NOW - 1_000,
      expiresAt: NOW + 60_000,
    };
    const env = signPayload(PAYLOAD_TYPES.checkRequest, payload, [signerFor(alice)]);
    expect(admit(env).ok).toBe(true);
  });

  it('refuses an expired request with EXPIRED, addressed to its digest and nonce', () => {
    const got = admit(request({ expiresAt: NOW - 1 }));
    expect(got).toMatchObject({ ok: false, code: 'EXPIRED', claimed: { nonce: NONCE } });
  });

  it('refuses a request that lives longer than a check may with EXPIRED', () => {
    expect(admit(request({ expiresAt: NOW + 3_600_000 }))).toMatchObject({ code: 'EXPIRED' });
  });

  it('refuses a tampered request with BAD_SIGNATURE', () => {
    const env = request({});
    const other = request({ app: 'creds' });
    expect(admit({ ...env, payload: other.payload })).toMatchObject({ code: 'BAD_SIGNATURE' });
  });

  it('refuses an operator out of scope with SIGNER_NOT_ALLOWED', () => {
    expect(admit(request({}, [dbOnly]))).toMatchObject({ code: 'SIGNER_NOT_ALLOWED' });
  });

  it('refuses a signer not in the keyring with UNKNOWN_SIGNER', () => {
    expect(admit(request({}, [key(99)]))).toMatchObject({ code: 'UNKNOWN_SIGNER' });
  });

  it('refuses a target that does not name it with TARGET_MISMATCH', () => {
    expect(admit(request({ target: { hosts: ['webb'] } }))).toMatchObject({
      code: 'TARGET_MISMATCH',
    });
  });

  it('refuses a deploy envelope with WRONG_PAYLOAD_TYPE', () => {
    const env = request({});
    expect(admit({ ...env, payloadType: PAYLOAD_TYPES.deploy })).toMatchObject({
      code: 'WRONG_PAYLOAD_TYPE',
    });
  });

  it('refuses when its trust has expired with TRUST_EXPIRED', () => {
    const late = trust.keyring!.keyring.expiresAt + 1;
    expect(admit(request({ issuedAt: late - 1_000, expiresAt: late + 1_000 }), late)).toMatchObject(
      { code: 'TRUST_EXPIRED' },
    );
  });

  it('refuses a short nonce with MALFORMED', () => {
    expect(admit(request({ nonce: 'short' }))).toMatchObject({ code: 'MALFORMED' });
  });
});
