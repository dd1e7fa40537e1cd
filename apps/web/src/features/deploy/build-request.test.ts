import type { RequestRefused } from '@serfbort/client';
import {
  createVerifier,
  deployRequest,
  LIMITS,
  PAYLOAD_TYPES,
  signBytes,
  signerFor,
  verifyEnvelope,
} from '@serfbort/core';
import { key } from '@serfbort/testkit';
import { describe, expect, it } from 'vitest';
import { artifactVerdict, digestFile, EXPIRY_CHOICES, prepareRequest } from './build-request';

describe('prepareRequest', () => {
  const operator = key(2);
  const draft = {
    app: 'web',
    version: 'v1.2.3',
    target: { selector: 'role=web' },
    lifetimeMs: 60_000,
  };

  it('shows exactly the bytes that get signed, and they verify as a deploy request', () => {
    const p = prepareRequest(draft, operator.keyId, 1_000);
    expect(new TextEncoder().encode(p.text)).toEqual(p.bytes);
    const request = deployRequest.parse(JSON.parse(p.text));
    expect(request).toMatchObject({
      type: 'deploy',
      app: 'web',
      version: 'v1.2.3',
      issuedAt: 1_000,
      expiresAt: 61_000,
      signers: [operator.keyId],
    });
    const envelope = signBytes(PAYLOAD_TYPES.deploy, p.bytes, [signerFor(operator)]);
    const v = verifyEnvelope(
      envelope,
      PAYLOAD_TYPES.deploy,
      (id) => (id === operator.keyId ? operator.publicKey : undefined),
      createVerifier(),
    );
    expect(v.ok).toBe(true);
  });

  it('gives every request a fresh id', () => {
    expect(prepareRequest(draft, operator.keyId, 0).request.id).not.toBe(
      prepareRequest(draft, operator.keyId, 0).request.id,
    );
  });

  it('refuses a lifetime longer than the protocol allows, rather than signing another', () => {
    expect(() =>
      prepareRequest({ ...draft, lifetimeMs: 10 * LIMITS.maxRequestLifetimeMs }, operator.keyId, 0),
    ).toThrow(expect.objectContaining({ code: 'LIFETIME_TOO_LONG' }) as RequestRefused);
    for (const choice of EXPIRY_CHOICES)
      expect(
        prepareRequest({ ...draft, lifetimeMs: choice.ms }, operator.keyId, 0).request,
      ).toMatchObject({
        expiresAt: choice.ms,
      });
  });
});

describe('an artifact in the dashboard', () => {
  const sha = 'ab'.repeat(32);
  it('is signed inside the request, like the CLI signs it', () => {
    const p = prepareRequest(
      {
        app: 'web',
        version: 'v3',
        target: { selector: 'role=web' },
        lifetimeMs: 60_000,
        artifact: { sha256: sha, size: 42 },
      },
      key(2).keyId,
      1_000,
    );
    expect(deployRequest.parse(JSON.parse(p.text)).artifact).toEqual({ sha256: sha, size: 42 });
  });

  it.each([
    ['nothing', '', '', null],
    ['a short digest', 'abc', '1', false],
    ['capitals', sha.toUpperCase(), '1', false],
    ['a size that is not a number', sha, '1.5', false],
    ['a digest and a size', sha, '42', true],
  ])('reads %s', (_what, digest, size, ok) => {
    const v = artifactVerdict(digest, size);
    expect(v === null ? null : v.ok).toBe(ok);
  });

  it('computes a file digest in the browser as sha256sum does', async () => {
    const file = new Blob([new TextEncoder().encode('abc')]);
    expect(await digestFile(file)).toEqual({
      sha256: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
      size: 3,
    });
  });
});
