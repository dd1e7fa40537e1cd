import { describe, expect, it } from 'vitest';
import { signPayload } from '../envelope/envelope.js';
import { PAYLOAD_TYPES } from '../envelope/payload-types.js';
import { signerFor } from '../keys/signer.js';
import { deployRequest } from '../schemas/deploy.js';
import { key, verifier as nodeLikeVerifier } from '../testing/fixtures.js';
import {
  CHECK_ANSWER_V2_TYPE,
  CHECK_ANSWER_V3_TYPE,
  verifyCheckAnswerV2,
} from './verify-check-v2.js';
import { RECEIPT_V2_TYPE, verifyReceipt } from './verify-receipt.js';

const host = key(31);
const keys = new Map([['web-1', host.publicKey]]);
const sha = 'ab'.repeat(32);
const other = 'cd'.repeat(32);
const fields = {
  type: 'receipt',
  requestId: 'req-00000001',
  requestDigest: 'a'.repeat(64),
  host: 'web-1',
  app: 'web',
  version: 'v1',
  status: 'failed',
  reason: 'ARTIFACT_MISMATCH',
  exitCode: 0,
  versionBefore: null,
  versionAfter: null,
  startedAt: 1,
  finishedAt: 2,
};
const expectFor = { host: 'web-1', requestId: 'req-00000001', requestDigest: 'a'.repeat(64) };

describe('a receipt about an artifact', () => {
  it('is read as v2, both digests included', () => {
    const env = signPayload(
      RECEIPT_V2_TYPE,
      { ...fields, seq: 1, prev: null, artifact: { sha256: sha, fetched: other } },
      [signerFor(host)],
    );
    const v = verifyReceipt(env, expectFor, keys, nodeLikeVerifier);
    expect(v).toMatchObject({ ok: true, value: { artifact: { sha256: sha, fetched: other } } });
  });

  it('is refused when signed as v1: a v1 signature never carries an artifact', () => {
    const env = signPayload(PAYLOAD_TYPES.receipt, { ...fields, artifact: { sha256: sha } }, [
      signerFor(host),
    ]);
    expect(verifyReceipt(env, expectFor, keys, nodeLikeVerifier)).toMatchObject({
      ok: false,
      code: 'MALFORMED',
    });
  });

  it('is a chained receipt like any other v2 one: without its place in the chain it is refused', () => {
    const env = signPayload(RECEIPT_V2_TYPE, { ...fields, artifact: { sha256: sha } }, [
      signerFor(host),
    ]);
    expect(verifyReceipt(env, expectFor, keys, nodeLikeVerifier)).toMatchObject({
      ok: false,
      code: 'MALFORMED',
    });
    const plain = signPayload(RECEIPT_V2_TYPE, { ...fields, seq: 2, prev: 'e'.repeat(64) }, [
      signerFor(host),
    ]);
    const read = verifyReceipt(plain, expectFor, keys, nodeLikeVerifier);
    expect(read).toMatchObject({ ok: true, value: { seq: 2 } });
    expect(read.ok && read.value.artifact).toBeUndefined();
  });

  it('still reads v1 receipts (older agents)', () => {
    const env = signPayload(PAYLOAD_TYPES.receipt, fields, [signerFor(host)]);
    expect(verifyReceipt(env, expectFor, keys, nodeLikeVerifier).ok).toBe(true);
  });
});

describe('a check answer with the release digest', () => {
  const answer = {
    type: 'check-answer',
    requestDigest: 'b'.repeat(64),
    nonce: 'n'.repeat(22),
    host: 'web-1',
    app: 'web',
    configured: true,
    version: 'v1',
    at: 5,
  };
  const expectCheck = { host: 'web-1', requestDigest: 'b'.repeat(64), nonce: 'n'.repeat(22) };
  it('is read as v3', () => {
    const env = signPayload(CHECK_ANSWER_V3_TYPE, { ...answer, artifact: { sha256: sha } }, [
      signerFor(host),
    ]);
    expect(verifyCheckAnswerV2(env, expectCheck, keys, nodeLikeVerifier)).toMatchObject({
      ok: true,
      value: { artifact: { sha256: sha } },
    });
  });
  it('is refused with a digest under v2', () => {
    const env = signPayload(CHECK_ANSWER_V2_TYPE, { ...answer, artifact: { sha256: sha } }, [
      signerFor(host),
    ]);
    expect(verifyCheckAnswerV2(env, expectCheck, keys, nodeLikeVerifier)).toMatchObject({
      ok: false,
      code: 'MALFORMED',
    });
  });
});

describe('a deploy request artifact', () => {
  const base = {
    type: 'deploy',
    id: 'req-00000001',
    app: 'web',
    version: 'v1',
    target: { hosts: ['web-1'] },
    issuedAt: 1,
    expiresAt: 2,
    signers: [host.keyId],
  };
  it.each([
    ['a digest in capitals', { sha256: sha.toUpperCase(), size: 1 }],
    ['a short digest', { sha256: 'ab', size: 1 }],
    ['a negative size', { sha256: sha, size: -1 }],
    ['a fractional size', { sha256: sha, size: 1.5 }],
    ['an unknown field', { sha256: sha, size: 1, mirror: 'x' }],
  ])('refuses %s', (_what, artifact) => {
    expect(deployRequest.safeParse({ ...base, artifact }).success).toBe(false);
  });
  it('accepts digest, size, url and name', () => {
    expect(
      deployRequest.safeParse({
        ...base,
        artifact: { sha256: sha, size: 10, url: 'https://a/b', name: 'b' },
      }).success,
    ).toBe(true);
  });
});
