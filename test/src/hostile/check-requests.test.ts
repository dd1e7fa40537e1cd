import type { CheckAnswerV2, CheckRequestPayload, Envelope, KeyPair } from '@serfbort/core';
import {
  CHECK_ANSWER_V2_TYPE,
  fromBase64,
  PAYLOAD_TYPES,
  sha256Hex,
  signPayload,
  toBase64,
  utf8Decode,
  utf8Encode,
} from '@serfbort/core';
import { nodeSigner } from '@serfbort/node';
import type { OperatorSpec } from '@serfbort/testkit';
import { key, signKeyring, signRoot } from '@serfbort/testkit';
import type { AgentProcess } from '@serfbort/testkit/agent';
import { createTestHost, spawnAgent } from '@serfbort/testkit/agent';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostileHub } from './hostile-hub.js';
import { startHostileHub } from './hostile-hub.js';

/*
 * A hostile hub relays operators' signed check requests, and forged or stale ones, to a
 * real agent. The agent answers only a request it would take as a deploy (signature, scope,
 * target, window), and signs the refusal of any other with the request's digest and code.
 */

const root = key(201);
const alice = key(210); // anything anywhere
const carol = key(212); // only role=db
const operators: OperatorSpec[] = [
  { name: 'alice', key: alice },
  { name: 'carol', key: carol, selectors: ['role=db'] },
];
const rootV1 = signRoot({ keys: [root], version: 1 }, [root]);
const keyring = signKeyring({ version: 1, operators }, [root]);
const NONCE = 'q2VZ1x0Q0sZb3P8iYk3ZKw';

function checkRequest(over: Partial<CheckRequestPayload> = {}, signer: KeyPair = alice): Envelope {
  const now = Date.now();
  const payload: CheckRequestPayload = {
    type: 'check-request',
    app: 'web',
    target: { selector: 'role=web' },
    nonce: NONCE,
    issuedAt: now,
    expiresAt: now + 60_000,
    ...over,
  };
  return signPayload(PAYLOAD_TYPES.checkRequest, payload, [nodeSigner(signer)]);
}

const digestOf = (e: Envelope) => sha256Hex(fromBase64(e.payload));
const read = (e: Envelope) => JSON.parse(utf8Decode(fromBase64(e.payload))) as CheckAnswerV2;

describe('a real agent answering check requests a hostile hub relays', () => {
  let hub: HostileHub;
  let agent: AgentProcess;

  beforeAll(async () => {
    hub = await startHostileHub({ roots: [rootV1.envelope], keyring: keyring.envelope });
    const host = createTestHost({
      name: 'weba',
      hub: hub.url,
      labels: ['role=web'],
      apps: ['web'],
      root: rootV1.envelope,
    });
    agent = spawnAgent({ configPath: host.configPath });
    await hub.connected('weba');
  }, 60_000);
  afterAll(async () => {
    await agent?.stop('SIGKILL');
    await hub?.close();
  });

  function ask(request: Envelope): Promise<Envelope> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no check answer')), 10_000);
      hub.emitRaw(
        'weba',
        'check:run',
        { checkId: 'hub-picked-1', app: 'web', request },
        (a: Envelope) => {
          clearTimeout(timer);
          resolve(a);
        },
      );
    });
  }

  it('answers an honest request with a v2 answer over its digest and nonce', async () => {
    const request = checkRequest();
    const answer = await ask(request);
    expect(answer.payloadType).toBe(CHECK_ANSWER_V2_TYPE);
    expect(read(answer)).toMatchObject({
      requestDigest: digestOf(request),
      nonce: NONCE,
      host: 'weba',
      configured: true,
    });
    expect(read(answer).refused).toBeUndefined();
  });

  it.each([
    [
      'an expired request',
      () => checkRequest({ issuedAt: Date.now() - 120_000, expiresAt: Date.now() - 60_000 }),
      'EXPIRED',
    ],
    [
      'a request living longer than a check may',
      () => checkRequest({ expiresAt: Date.now() + 3_600_000 }),
      'EXPIRED',
    ],
    ['an operator out of scope', () => checkRequest({}, carol), 'SIGNER_NOT_ALLOWED'],
    [
      'a target that does not name it',
      () => checkRequest({ target: { hosts: ['webb'] } }),
      'TARGET_MISMATCH',
    ],
    [
      'a request whose app the hub changed',
      () => {
        const e = checkRequest({ app: 'api' });
        const p = JSON.parse(utf8Decode(fromBase64(e.payload))) as Record<string, unknown>;
        return { ...e, payload: toBase64(utf8Encode(JSON.stringify({ ...p, app: 'web' }))) };
      },
      'BAD_SIGNATURE',
    ],
  ])('refuses %s with a signed refusal carrying its code', async (_what, make, code) => {
    const request = make();
    const answer = await ask(request);
    expect(read(answer)).toMatchObject({
      requestDigest: digestOf(request),
      host: 'weba',
      configured: false,
      version: null,
      refused: { code },
    });
  });
});
