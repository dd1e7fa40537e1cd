import { PAYLOAD_TYPES, signBytes, toBase64, utf8Encode } from '@serfbort/core';
import { nodeSigner } from '@serfbort/node';
import { signDeploy, standardTrust } from '@serfbort/testkit';
import type { AgentProcess, TestHost } from '@serfbort/testkit/agent';
import { createTestHost, spawnAgent } from '@serfbort/testkit/agent';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostileHub } from '../hostile/hostile-hub.js';
import { startHostileHub } from '../hostile/hostile-hub.js';

/*
 * Malformed input from the hub to a real agent process: refused (or dropped), never a
 * crash, never a run; the agent still deploys a valid request afterwards.
 */
const trust = standardTrust();
const alice = trust.operatorKey;
const signedBytes = (text: string) =>
  signBytes(PAYLOAD_TYPES.deploy, utf8Encode(text), [nodeSigner(alice)]);
const valid = () =>
  signDeploy({ app: 'web', version: 'v1', target: { hosts: ['weba'] } }, [alice]).envelope;

const inputs: [string, () => unknown][] = [
  ['a string', () => 'deploy v1 everywhere'],
  ['null', () => null],
  ['a number', () => 12345],
  ['an array', () => [valid()]],
  ['an envelope without signatures', () => ({ ...valid(), signatures: [] })],
  ['an envelope with an extra field', () => ({ ...valid(), extra: true })],
  ['invalid base64', () => ({ ...valid(), payload: '%%%not-base64%%%' })],
  [
    'a signature that is not base64',
    () => ({ ...valid(), signatures: [{ keyid: alice.keyId, sig: '***' }] }),
  ],
  [
    'a payload of deeply nested JSON',
    () => signedBytes(`${'{"a":'.repeat(3000)}1${'}'.repeat(3000)}`),
  ],
  [
    'a payload that is not UTF-8',
    () => ({ ...valid(), payload: toBase64(new Uint8Array([0xff, 0xfe, 0xfd])) }),
  ],
  ['a huge payload', () => signedBytes(JSON.stringify({ pad: 'x'.repeat(100_000) }))],
  [
    'a signed payload with missing fields',
    () => signedBytes(JSON.stringify({ type: 'deploy', id: 'missing-fields-1' })),
  ],
  [
    'a signed payload with wrong types',
    () =>
      signedBytes(
        JSON.stringify({
          type: 'deploy',
          id: 'wrong-types-01',
          app: 7,
          version: ['v1'],
          target: 'all',
          issuedAt: 'now',
          expiresAt: null,
          signers: [],
        }),
      ),
  ],
  [
    'a version with a newline and a command',
    () =>
      signDeploy({ app: 'web', version: 'v1\ntouch /tmp/pwned', target: { hosts: ['weba'] } }, [
        alice,
      ]).envelope,
  ],
  [
    'a Cyrillic look-alike host in the target',
    () => signDeploy({ app: 'web', version: 'v1', target: { hosts: ['wеba'] } }, [alice]).envelope,
  ],
];

describe('malformed input from the hub to a real agent', () => {
  let hub: HostileHub;
  let host: TestHost;
  let agent: AgentProcess;

  beforeAll(async () => {
    hub = await startHostileHub({ roots: [trust.root.envelope], keyring: trust.keyring.envelope });
    host = createTestHost({
      name: 'weba',
      hub: hub.url,
      labels: ['role=web'],
      apps: ['web'],
      root: trust.root.envelope,
    });
    agent = spawnAgent({ configPath: host.configPath });
    await hub.connected('weba');
  });
  afterAll(async () => {
    await agent?.stop('SIGKILL');
    await hub?.close();
  });

  it.each(inputs)(
    'deploy:request with %s: refused, nothing runs, the agent lives',
    async (_what, make) => {
      const logsBefore = agent.logs.length;
      hub.relay('weba', make());
      await agent.waitForLog(
        (l) =>
          agent.logs.indexOf(l) >= logsBefore &&
          (l.event === 'deploy.rejected' ||
            l.event === 'deploy.dropped' ||
            l.event === 'hub.bad-message'),
        10_000,
        'a refusal',
      );
      expect(host.ranLog('web')).toEqual([]);
      expect(agent.child.exitCode).toBeNull();
    },
  );

  it.each([
    ['trust:update with garbage', 'trust:update', ['garbage']],
    [
      'trust:update with roots that are not envelopes',
      'trust:update',
      [{ roots: [1, 2, 3], keyring: 'x' }],
    ],
    ['check:run with no acknowledgement', 'check:run', [{ checkId: 'c1c1c1c1', app: 'web' }]],
    [
      'check:run for an app name that is a path',
      'check:run',
      [{ checkId: 'c2c2c2c2', app: '../../etc' }, () => {}],
    ],
    ['an unknown event', 'rm -rf', ['/']],
  ])('%s: the agent lives and keeps its trust', async (_what, event, args) => {
    hub.emitRaw('weba', event, ...args);
    await new Promise((r) => setTimeout(r, 300));
    expect(agent.child.exitCode).toBeNull();
  });

  it('afterwards a valid request still deploys, and nothing bad ran', async () => {
    const { envelope, request } = signDeploy(
      { app: 'web', version: 'v-good', target: { hosts: ['weba'] } },
      [alice],
    );
    const from = hub.receipts.length;
    hub.relay('weba', envelope);
    expect((await hub.receiptFor(request.id, from)).receipt.status).toBe('succeeded');
    expect(host.ranLog('web').filter((l) => l.startsWith('start'))).toHaveLength(1);
    expect(host.currentVersion('web')).toBe('v-good');
  });
});
