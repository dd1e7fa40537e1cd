import { buildRequest, openRequest, signRequest } from '@serfbort/cli/deploy-request';
import { openEnvelope, PAYLOAD_TYPES, signBytes, signerFor, utf8Decode } from '@serfbort/core';
import { key } from '@serfbort/testkit';
import { prepareRequest } from '@serfbort/web/build-request';
import { describe, expect, it } from 'vitest';

/**
 * Both faces build requests with client's one builder. Driven through each face's own entry
 * point with the same time, id and key, they must sign the very same bytes.
 */
describe('the CLI and the dashboard, given the same inputs', () => {
  const operator = key(5);
  const now = 1_800_000_000_000;
  const id = 'faces-agree-0123456789';
  const cases = [
    {
      app: 'web',
      version: 'v1.2.3',
      target: { selector: 'role=web,!canary' },
      lifetimeMs: 3_600_000,
    },
    // typed loosely: both faces sign the canonical selector
    { app: 'web', version: 'v2', target: { selector: ' role==web , !canary' }, lifetimeMs: 60_000 },
    {
      app: 'shop',
      version: 'release/2026.12',
      target: { hosts: ['weba', 'webb'] },
      lifetimeMs: 15 * 60_000,
      expect: '3f2a9c1',
    },
    // the exact bytes to deploy, as --artifact and the dashboard's digest field put them
    {
      app: 'web',
      version: 'v3',
      target: { hosts: ['weba'] },
      lifetimeMs: 60_000,
      artifact: { sha256: 'ab'.repeat(32), size: 4096 },
    },
  ];

  it.each(cases)('sign byte-identical requests ($app $version)', (spec) => {
    const cli = openRequest(
      signRequest(
        buildRequest(spec, [operator], now, () => id),
        [operator],
      ),
      'request',
    );
    const web = prepareRequest(spec, operator.keyId, now, () => id);
    const webEnvelope = signBytes(PAYLOAD_TYPES.deploy, web.bytes, [signerFor(operator)]);

    expect(utf8Decode(cli.payloadBytes)).toBe(web.text);
    expect(cli.payloadBytes).toEqual(web.bytes);
    expect(cli.digest).toBe(web.digest);
    // Ed25519 is deterministic: Node's signer and tweetnacl's give the same envelope
    expect(webEnvelope).toEqual(cli.envelope);
    const opened = openEnvelope(webEnvelope, PAYLOAD_TYPES.deploy);
    expect(opened.ok && opened.value.payload).toEqual(cli.request);
    if ('selector' in spec.target)
      expect(cli.request.target).toEqual({ selector: 'role=web,!canary' });
  });

  it('both refuse a lifetime over the limit with the same code', () => {
    const spec = { ...cases[0]!, lifetimeMs: 8 * 86_400_000 };
    expect(() => buildRequest(spec, [operator], now, () => id)).toThrow(
      expect.objectContaining({ code: 'LIFETIME_TOO_LONG' }) as Error,
    );
    expect(() => prepareRequest(spec, operator.keyId, now, () => id)).toThrow(
      expect.objectContaining({ code: 'LIFETIME_TOO_LONG' }) as Error,
    );
  });
});
