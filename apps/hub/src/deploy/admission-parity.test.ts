import type { AdmissionCode, Envelope, TrustState } from '@serfbort/core';
import {
  canonicalBytes,
  decideAdmission,
  LIMITS,
  PAYLOAD_TYPES,
  signBytes,
  signPayload,
  toBase64,
  verifyInitialRoot,
  verifyKeyring,
} from '@serfbort/core';
import { nodeSigner, nodeVerifier } from '@serfbort/node';
import { key, signDeploy, standardTrust } from '@serfbort/testkit';
import type { OperatorClient } from '@serfbort/testkit/hub';
import { call, connectOperator } from '@serfbort/testkit/hub';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestHub } from '../testing/test-hub.js';
import { startTestHub } from '../testing/test-hub.js';

const trust = standardTrust();
const op = trust.operatorKey;
const HOUR = 3_600_000;
const agent = { name: 'web-1', labels: { role: 'web' }, apps: ['shop'] };
const base = { app: 'shop', version: 'v1.2.3', target: { selector: 'role=web' } };

function trustState(now: number): TrustState {
  const root = verifyInitialRoot(trust.root.envelope, nodeVerifier);
  if (!root.ok) throw new Error(`fixture root: ${root.reason}`);
  const keyring = verifyKeyring(root.value.root, trust.keyring.envelope, nodeVerifier, { now });
  if (!keyring.ok) throw new Error(`fixture keyring: ${keyring.reason}`);
  return { root: root.value, keyring: keyring.value };
}

/** Other bytes under the original signature; canonical, so only the signature can refuse them. */
const withPayload = (envelope: Envelope, payload: unknown): Envelope => ({
  ...envelope,
  payload: toBase64(canonicalBytes(payload)),
});

/** Bad requests, each built fresh (times are relative to now), with the code both sides must give. */
const table: [string, () => unknown, AdmissionCode][] = [
  ['not an envelope', () => ({ hello: 'world' }), 'MALFORMED'],
  [
    'a payload that is not base64',
    () => ({ ...signDeploy(base, [op]).envelope, payload: '***' }),
    'MALFORMED',
  ],
  [
    'an oversized payload',
    () => signDeploy({ ...base, version: 'v'.repeat(LIMITS.payloadBytes) }, [op]).envelope,
    'OVERSIZED',
  ],
  [
    'the wrong payload type',
    () => signPayload(PAYLOAD_TYPES.receipt, signDeploy(base, [op]).request, [nodeSigner(op)]),
    'WRONG_PAYLOAD_TYPE',
  ],
  [
    'a tampered payload',
    () => {
      const { envelope, request } = signDeploy(base, [op]);
      return withPayload(envelope, { ...request, version: 'v6.6.6' });
    },
    'BAD_SIGNATURE',
  ],
  [
    'a repeated member (two versions: readers could disagree on which one was signed)',
    () => {
      const { envelope } = signDeploy(base, [op]);
      const text = Buffer.from(envelope.payload, 'base64').toString('utf8');
      const doubled = text.replace('"version":', '"version":"v0.0.1","version":');
      return signBytes(PAYLOAD_TYPES.deploy, Buffer.from(doubled), [nodeSigner(op)]);
    },
    'MALFORMED',
  ],
  ['an unknown signer', () => signDeploy(base, [key(99)]).envelope, 'UNKNOWN_SIGNER'],
  [
    'an unknown field',
    () => {
      const { request } = signDeploy(base, [op]);
      return signPayload(PAYLOAD_TYPES.deploy, { ...request, extra: 1 }, [nodeSigner(op)]);
    },
    'MALFORMED',
  ],
  [
    'an expired request',
    () =>
      signDeploy({ ...base, issuedAt: Date.now() - 2 * HOUR, expiresAt: Date.now() - HOUR }, [op])
        .envelope,
    'EXPIRED',
  ],
  [
    'a lifetime longer than allowed',
    () =>
      signDeploy({ ...base, expiresAt: Date.now() + LIMITS.maxRequestLifetimeMs + HOUR }, [op])
        .envelope,
    'EXPIRED',
  ],
  [
    'a request issued in the future',
    () =>
      signDeploy({ ...base, issuedAt: Date.now() + HOUR, expiresAt: Date.now() + 2 * HOUR }, [op])
        .envelope,
    'ISSUED_IN_FUTURE',
  ],
  [
    'an unsafe version',
    () => signDeploy({ ...base, version: '--upload-pack=x' }, [op]).envelope,
    'BAD_VERSION',
  ],
  [
    'an unsafe expected result',
    () => signDeploy({ ...base, expect: 'a..b' }, [op]).envelope,
    'BAD_VERSION',
  ],
];

let hub: TestHub;
let operator: OperatorClient;

beforeAll(async () => {
  hub = await startTestHub({ trust });
  operator = await connectOperator(hub.url, { key: op });
});
afterAll(async () => {
  operator?.disconnect();
  await hub?.dispose();
});

describe('the hub and an agent judge a deploy request by the same rules', () => {
  it.each(table)('refuse %s with the same code', async (_, build, code) => {
    const envelope = build();
    const decided = decideAdmission({
      envelope,
      trust: trustState(Date.now()),
      agent,
      replay: { seen: () => false, lastAppliedAt: () => undefined },
      now: Date.now(),
      verifier: nodeVerifier,
    });
    const ack = await call(operator, 'deploy:submit', envelope);
    expect(decided.accept ? 'accepted' : decided.reason).toBe(code);
    expect(ack.ok ? 'accepted' : ack.error.code).toBe(code);
  });

  it('while both let a good request through', () => {
    const decided = decideAdmission({
      envelope: signDeploy(base, [op]).envelope,
      trust: trustState(Date.now()),
      agent,
      replay: { seen: () => false, lastAppliedAt: () => undefined },
      now: Date.now(),
      verifier: nodeVerifier,
    });
    expect(decided.accept).toBe(true);
  });
});
