import { connect } from 'node:net';
import type { Envelope, RolloutStart } from '@serfbort/core';
import {
  AGENT_NAMESPACE,
  fromBase64,
  OPERATOR_NAMESPACE,
  PAYLOAD_TYPES,
  sha256Hex,
  signBytes,
  signPayload,
  toBase64,
  utf8Encode,
} from '@serfbort/core';
import { nodeSigner } from '@serfbort/node';
import { key, sampleRolloutStart, signDeploy, signKeyring, standardTrust } from '@serfbort/testkit';
import type { AgentClient, OperatorClient, TestAgent, TestHub } from '@serfbort/testkit/hub';
import {
  call,
  connectAgent,
  connectOperator,
  connectSocket,
  expectOk,
  signAgentHello,
  signApproval,
  startTestHub,
} from '@serfbort/testkit/hub';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/*
 * Hostile and malformed input to the hub, one case per line. Each gets an error code in
 * its acknowledgement (or is dropped and counted), nothing crashes, and afterwards a real
 * deploy still works and the audit chain still verifies.
 */

const trust = standardTrust();
const viewerToken = 'viewer-token-0123456789';
const agentKey = key(300);
let hub: TestHub;
let op: OperatorClient;
let agent: TestAgent;

const codeOf = async (socket: Socket, event: string, ...args: unknown[]) => {
  const ack = await call(socket, event, ...args);
  return ack.ok ? 'OK' : ack.error.code;
};
const deployed = (spec: Partial<Parameters<typeof signDeploy>[0]>, signers = [trust.operatorKey]) =>
  signDeploy({ app: 'web', version: 'v1', target: { selector: 'role=web' }, ...spec }, signers)
    .envelope;
const withPayload = (type: string, payload: string): Envelope =>
  signBytes(type, utf8Encode(payload), [nodeSigner(trust.operatorKey)]);

const rolloutStart = (over: Partial<RolloutStart>) =>
  sampleRolloutStart({
    id: 'bad-input-rollout',
    plan: { steps: [{ index: 0, kind: 'batch', hosts: ['weba'] }], total: 1, budget: 0 },
    ...over,
  });

async function freshAgentSocket(): Promise<AgentClient> {
  return connectSocket<AgentClient>(hub.url, AGENT_NAMESPACE);
}
async function helloWith(
  mutate: (payload: Record<string, unknown>) => void,
  signer = agentKey,
): Promise<string> {
  const s = await freshAgentSocket();
  const ch = expectOk(await call<{ nonce: string; hubId: string }>(s, 'auth:challenge'));
  const payload: Record<string, unknown> = {
    type: 'agent-auth',
    nonce: ch.nonce,
    hubId: ch.hubId,
    host: 'newhost',
    publicKey: toBase64(agentKey.publicKey),
    labels: {},
    apps: [],
    agentVersion: 't',
    at: Date.now(),
  };
  mutate(payload);
  const code = await codeOf(
    s,
    'auth:hello',
    signPayload(PAYLOAD_TYPES.agentAuth, payload, [nodeSigner(signer)]),
  );
  s.disconnect();
  return code;
}

beforeAll(async () => {
  hub = await startTestHub({ trust, env: { SERFBORT_VIEWER_TOKEN: viewerToken } });
  op = await connectOperator(hub.url, { key: trust.operatorKey });
  const first = await connectAgent(hub.url, {
    key: agentKey,
    name: 'weba',
    labels: { role: 'web' },
    apps: ['web'],
  }).catch((e: { code?: string }) => e);
  expect((first as TestAgent).status ?? (first as { code?: string }).code).toBe('pending');
  (first as TestAgent).socket?.disconnect();
  expectOk(await call(op, 'agents:approve', signApproval(trust.operatorKey, agentKey, 'weba')));
  agent = await connectAgent(hub.url, {
    key: agentKey,
    name: 'weba',
    labels: { role: 'web' },
    apps: ['web'],
  });
  expect(agent.status).toBe('approved');
});
afterAll(async () => {
  agent?.socket.disconnect();
  op?.disconnect();
  await hub?.dispose();
});

describe('agent namespace, before authentication', () => {
  it.each([
    ['presence before hello', 'presence', [{ apps: {}, running: [] }], 'UNAUTHENTICATED'],
    ['a receipt before hello', 'deploy:receipt', [{}], 'UNAUTHENTICATED'],
    [
      'progress before hello',
      'deploy:progress',
      [{ requestId: 'aaaaaaaa', app: 'web', state: 'running' }],
      'UNAUTHENTICATED',
    ],
    ['hello with a number', 'auth:hello', [42], 'BAD_REQUEST'],
    ['hello with an empty object', 'auth:hello', [{}], 'BAD_REQUEST'],
    ['hello with a string', 'auth:hello', ['hello'], 'BAD_REQUEST'],
    ['hello with null', 'auth:hello', [null], 'BAD_REQUEST'],
    [
      'hello without signatures',
      'auth:hello',
      [{ payloadType: PAYLOAD_TYPES.agentAuth, payload: 'e30=', signatures: [] }],
      'BAD_REQUEST',
    ],
    [
      'hello with an extra envelope field',
      'auth:hello',
      [
        {
          payloadType: PAYLOAD_TYPES.agentAuth,
          payload: 'e30=',
          signatures: [{ keyid: '0'.repeat(32), sig: 'AA==' }],
          extra: 1,
        },
      ],
      'BAD_REQUEST',
    ],
    [
      'hello with invalid base64',
      'auth:hello',
      [
        {
          payloadType: PAYLOAD_TYPES.agentAuth,
          payload: '!!!not base64!!!',
          signatures: [{ keyid: '0'.repeat(32), sig: 'AA==' }],
        },
      ],
      'BAD_REQUEST',
    ],
  ])('%s → %s', async (_what, event, args, expected) => {
    const s = await freshAgentSocket();
    expect(await codeOf(s, event as string, ...(args as unknown[]))).toBe(expected);
    expect(s.connected).toBe(true);
    s.disconnect();
  });

  it.each([
    [
      'a Cyrillic look-alike in the host name',
      (p: Record<string, unknown>) => (p.host = 'wеba'),
      'BAD_REQUEST',
    ],
    [
      'a control character in a label',
      (p: Record<string, unknown>) => (p.labels = { role: 'web\u0007' }),
      'BAD_REQUEST',
    ],
    [
      'a label key with spaces',
      (p: Record<string, unknown>) => (p.labels = { 'ro le': 'web' }),
      'BAD_REQUEST',
    ],
    [
      'a nonce the hub never issued',
      (p: Record<string, unknown>) => (p.nonce = 'x'.repeat(22)),
      'UNAUTHENTICATED',
    ],
    [
      'another hub id',
      (p: Record<string, unknown>) => (p.hubId = 'some-other-hub'),
      'UNAUTHENTICATED',
    ],
    [
      // signed and answering this connection's challenge, only the clock is off: said so
      'a time far in the past',
      (p: Record<string, unknown>) => (p.at = Date.now() - 3_600_000),
      'CLOCK_SKEW',
    ],
    ['an extra payload field', (p: Record<string, unknown>) => (p.admin = true), 'BAD_REQUEST'],
    [
      'a host name of 300 characters',
      (p: Record<string, unknown>) => (p.host = 'a'.repeat(300)),
      'BAD_REQUEST',
    ],
  ])('a signed hello with %s → %s', async (_what, mutate, expected) => {
    expect(await helloWith(mutate)).toBe(expected);
  });

  it('a hello signed by a key other than the one it names → UNAUTHENTICATED', async () => {
    expect(await helloWith(() => {}, key(301))).toBe('UNAUTHENTICATED');
  });

  it('a name already held by another key → NAME_TAKEN', async () => {
    expect(
      await helloWith((p) => {
        p.host = 'weba';
        p.publicKey = toBase64(key(302).publicKey);
      }, key(302)),
    ).toBe('NAME_TAKEN');
  });

  it('a hello replayed on another connection → UNAUTHENTICATED', async () => {
    const s1 = await freshAgentSocket();
    const ch = expectOk(await call<{ nonce: string; hubId: string }>(s1, 'auth:challenge'));
    const hello = signAgentHello({ key: key(303), name: 'replayer' }, ch);
    const s2 = await freshAgentSocket();
    expectOk(await call(s2, 'auth:challenge'));
    expect(await codeOf(s2, 'auth:hello', hello)).toBe('UNAUTHENTICATED');
    s1.disconnect();
    s2.disconnect();
  });
});

describe('operator namespace', () => {
  it.each([
    ['junk instead of an envelope', () => 'junk', 'MALFORMED'],
    [
      'a receipt type',
      () => ({ ...deployed({}), payloadType: PAYLOAD_TYPES.receipt }),
      'WRONG_PAYLOAD_TYPE',
    ],
    [
      'a tampered payload',
      () => ({ ...deployed({}), payload: deployed({ version: 'v666' }).payload }),
      'BAD_SIGNATURE',
    ],
    ['a NUL in the version', () => deployed({ version: 'v1\u0000' }), 'BAD_VERSION'],
    ['a non-ASCII version', () => deployed({ version: 'vé' }), 'BAD_VERSION'],
    [
      'a version that is an option',
      () => deployed({ version: '--upload-pack=touch /tmp/x' }),
      'BAD_VERSION',
    ],
    [
      'a version with shell metacharacters',
      () => deployed({ version: '$(reboot)' }),
      'BAD_VERSION',
    ],
    [
      'selector syntax abuse',
      () => deployed({ target: { selector: 'role in (((,,' } }),
      'MALFORMED',
    ],
    [
      'an expired request',
      () => deployed({ issuedAt: Date.now() - 7_200_000, expiresAt: Date.now() - 3_600_000 }),
      'EXPIRED',
    ],
    ['an unknown signer', () => deployed({}, [key(399)]), 'UNKNOWN_SIGNER'],
    [
      'a deeply nested payload',
      () => withPayload(PAYLOAD_TYPES.deploy, `${'['.repeat(5000)}${']'.repeat(5000)}`),
      'MALFORMED',
    ],
    [
      'a payload that is not JSON',
      () => withPayload(PAYLOAD_TYPES.deploy, '{"type":"deploy",'),
      'MALFORMED',
    ],
    [
      'an oversized payload',
      () => withPayload(PAYLOAD_TYPES.deploy, JSON.stringify({ pad: 'x'.repeat(60_000) })),
      'OVERSIZED',
    ],
    [
      'a selector that matches no host',
      () => deployed({ target: { selector: 'role=nothing' } }),
      'NO_MATCHING_HOSTS',
    ],
  ])('deploy:submit with %s → %s', async (_what, make, expected) => {
    expect(await codeOf(op, 'deploy:submit', make())).toBe(expected);
  });

  it.each([
    ['hosts:list', [{ target: { selector: 'role in (' } }], 'BAD_REQUEST'],
    ['hosts:list', [{ target: { hosts: 'weba' } }], 'BAD_REQUEST'],
    ['hosts:list', [{ target: { selector: 'role=web' }, extra: true }], 'BAD_REQUEST'],
    ['hosts:list', [Buffer.from('binary frame')], 'BAD_REQUEST'],
    ['deploy:watch', [{ requestId: 'abc\u0000defgh' }], 'BAD_REQUEST'],
    ['deploy:watch', [{ requestId: 'nonexistent-id' }], 'NOT_FOUND'],
    ['deploy:list', [{ limit: -1 }], 'BAD_REQUEST'],
    ['deploy:list', [{ limit: 1e9 }], 'BAD_REQUEST'],
    ['deploy:list', [{ cursor: "1' or 1=1 --" }], 'BAD_REQUEST'],
    ['deploy:list', [{ search: 'x'.repeat(10_000) }], 'BAD_REQUEST'],
    ['deploy:list', [{ outcome: ['failed'] }], 'BAD_REQUEST'],
    ['deploy:stats', [{ days: 100_000 }], 'BAD_REQUEST'],
    ['deploy:stats', [{ app: 'web', extra: 1 }], 'BAD_REQUEST'],
    ['deploy:stats', [{ days: 7 }], 'OK'],
    ['check:run', [{ app: '../../etc/passwd' }], 'BAD_REQUEST'],
    ['trust:publish', [{ kind: 'keyring', envelope: 'garbage' }], 'TRUST_MALFORMED'],
    ['trust:publish', [{ kind: 'evil', envelope: trust.keyring.envelope }], 'BAD_REQUEST'],
    [
      'trust:publish',
      [
        {
          kind: 'keyring',
          envelope: signKeyring({ version: 1, operators: [] }, [trust.rootKey]).envelope,
        },
      ],
      'TRUST_VERSION_NOT_NEWER',
    ],
    ['trust:publish', [{ kind: 'keyring', envelope: trust.keyring.envelope }], 'OK'],
    ['agents:approve', [{ junk: true }], 'MALFORMED'],
    ['agents:approve', [signApproval(key(398), key(397), 'ghost')], 'UNKNOWN_SIGNER'],
    ['rollout:start', [{ id: 'r0llout-1' }], 'BAD_REQUEST'],
    ['rollout:start', [rolloutStart({ lockTtlMs: 10 })], 'BAD_REQUEST'],
    ['rollout:start', [rolloutStart({ kind: 'rollback' })], 'BAD_REQUEST'],
    ['rollout:start', [rolloutStart({ app: 'Web!' })], 'BAD_REQUEST'],
    [
      'rollout:start',
      [{ ...rolloutStart({}), __proto__: { admin: true }, extra: 1 }],
      'BAD_REQUEST',
    ],
    ['rollout:start', [rolloutStart({ plan: { steps: [], total: 1, budget: 0 } })], 'BAD_REQUEST'],
    [
      'rollout:start',
      [
        rolloutStart({
          plan: { steps: [{ index: 3, kind: 'batch', hosts: ['weba'] }], total: 1, budget: 0 },
        }),
      ],
      'BAD_REQUEST',
    ],
    [
      'rollout:start',
      [
        rolloutStart({
          rollbackOf: 'no-such-rollout',
          kind: 'rollback',
          plan: {
            steps: [{ index: 0, kind: 'rollback', hosts: ['weba'], version: 'v0' }],
            total: 1,
            budget: 1,
          },
        }),
      ],
      'NOT_FOUND',
    ],
    ['rollout:control', [{ id: 'no-such-rollout', status: 'aborted' }], 'NOT_FOUND'],
    ['rollout:control', [{ id: 'no-such-rollout', status: 'expired' }], 'BAD_REQUEST'],
    ['rollout:resume', [{ id: 'no-such-rollout', lockTtlMs: -5 }], 'BAD_REQUEST'],
    ['rollout:watch', [{ id: '../../etc' }], 'BAD_REQUEST'],
    ['rollout:list', [{ limit: 1e9 }], 'BAD_REQUEST'],
    ['lock:status', [{ app: 'x'.repeat(5000) }], 'BAD_REQUEST'],
    ['lock:release', ['garbage'], 'MALFORMED'],
    ['lock:release', [deployed({})], 'WRONG_PAYLOAD_TYPE'],
    [
      'deploy:submit',
      [
        deployed({
          target: { hosts: ['weba'] },
          rollout: { id: 'no-such-rollout', step: 0, steps: 1 },
        }),
      ],
      'NOT_FOUND',
    ],
  ])('%s %j → %s', async (event, args, expected) => {
    expect(await codeOf(op, event as string, ...(args as unknown[]))).toBe(expected);
  });

  it('a viewer cannot deploy → FORBIDDEN', async () => {
    const viewer = await connectOperator(hub.url, { viewerToken });
    expect(await codeOf(viewer, 'deploy:submit', deployed({}))).toBe('FORBIDDEN');
    viewer.disconnect();
  });

  it('a wrong viewer token → UNAUTHENTICATED', async () => {
    const s = await connectSocket<OperatorClient>(hub.url, OPERATOR_NAMESPACE);
    expect(await codeOf(s, 'auth:hello', { viewerToken: 'wrong-token-0123456789' })).toBe(
      'UNAUTHENTICATED',
    );
    s.disconnect();
  });

  it('unknown events and events without an acknowledgement crash nothing', async () => {
    (op as unknown as Socket).emit('rm -rf /', 1, 2, 3);
    (op as unknown as Socket).emit('deploy:submit', 'no ack here');
    (op as unknown as Socket).emit('__proto__', { polluted: true });
    expect(expectOk(await call<unknown[]>(op, 'hosts:list', {})).length).toBeGreaterThan(0);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('an approved agent sending bad answers', () => {
  it.each([
    ['garbage receipt', 'deploy:receipt', ['garbage'], 'MALFORMED'],
    [
      'a receipt for a request that never targeted it',
      'deploy:receipt',
      [
        signPayload(
          PAYLOAD_TYPES.receipt,
          {
            type: 'receipt',
            requestId: 'never-existed-1',
            requestDigest: '0'.repeat(64),
            host: 'weba',
            app: 'web',
            version: 'v1',
            status: 'succeeded',
            exitCode: 0,
            versionBefore: null,
            versionAfter: 'v1',
            startedAt: 1,
            finishedAt: 2,
          },
          [nodeSigner(agentKey)],
        ),
      ],
      'NOT_FOUND',
    ],
    [
      'presence with a thousand apps',
      'presence',
      [
        {
          apps: Object.fromEntries(
            Array.from({ length: 1000 }, (_, i) => [`app${i}`, { version: 'v', at: 1 }]),
          ),
          running: [],
        },
      ],
      'BAD_REQUEST',
    ],
    [
      'presence with a version full of control characters',
      'presence',
      [{ apps: { web: { version: '\u0000'.repeat(5000), at: 1 } }, running: [] }],
      'BAD_REQUEST',
    ],
    [
      'presence reporting a problem no agent has',
      'presence',
      [{ apps: {}, running: [], problems: [{ code: 'ON_FIRE', detail: 'x', since: 1 }] }],
      'BAD_REQUEST',
    ],
    [
      'presence reporting a hundred problems',
      'presence',
      [
        {
          apps: {},
          running: [],
          problems: Array.from({ length: 100 }, () => ({
            code: 'DISK_FULL',
            detail: 'disk full',
            since: 1,
          })),
        },
      ],
      'BAD_REQUEST',
    ],
    [
      'presence with a problem detail of 10 kB',
      'presence',
      [
        {
          apps: {},
          running: [],
          problems: [{ code: 'DISK_FULL', detail: 'x'.repeat(10_000), since: 1 }],
        },
      ],
      'BAD_REQUEST',
    ],
  ])('%s → %s', async (_what, event, args, expected) => {
    expect(
      await codeOf(agent.socket as unknown as Socket, event as string, ...(args as unknown[])),
    ).toBe(expected);
  });

  it('a receipt for a real request, signed by a key other than the approved one → UNKNOWN_SIGNER', async () => {
    const { envelope, request } = signDeploy(
      { app: 'web', version: 'v-r', target: { hosts: ['weba'] } },
      [trust.operatorKey],
    );
    expectOk(await call(op, 'deploy:submit', envelope));
    const forged = signPayload(
      PAYLOAD_TYPES.receipt,
      {
        type: 'receipt',
        requestId: request.id,
        requestDigest: sha256Hex(fromBase64(envelope.payload)),
        host: 'weba',
        app: 'web',
        version: 'v-r',
        status: 'succeeded',
        exitCode: 0,
        versionBefore: null,
        versionAfter: 'v-r',
        startedAt: 1,
        finishedAt: 2,
      },
      [nodeSigner(key(396))],
    );
    expect(await codeOf(agent.socket as unknown as Socket, 'deploy:receipt', forged)).toBe(
      'UNKNOWN_SIGNER',
    );
  });
});

describe('the transport', () => {
  it('a message over the size bound is dropped with its connection, and the hub stays up', async () => {
    const s = await freshAgentSocket();
    const closed = new Promise<void>((r) => s.once('disconnect', () => r()));
    (s as unknown as Socket).emit('auth:hello', { payload: 'x'.repeat(2 * 1024 * 1024) });
    await closed;
    const again = await freshAgentSocket();
    expectOk(await call(again, 'auth:challenge'));
    again.disconnect();
  });

  it('a flood of connections that never authenticate is closed by the hub', async () => {
    const idle = await Promise.all(Array.from({ length: 30 }, () => freshAgentSocket()));
    const closed = await Promise.all(
      idle.map(
        (s) =>
          new Promise<boolean>((r) => {
            const t = setTimeout(() => r(false), 30_000);
            s.once('disconnect', () => {
              clearTimeout(t);
              r(true);
            });
          }),
      ),
    );
    expect(closed.every(Boolean)).toBe(true);
  }, 60_000);

  it('a slow client that never finishes its request does not hold the hub', async () => {
    const url = new URL(hub.url);
    const slow = connect(Number(url.port), url.hostname);
    await new Promise((r) => slow.once('connect', r));
    slow.write('GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: x\r\n');
    const s = await freshAgentSocket();
    expectOk(await call(s, 'auth:challenge'));
    s.disconnect();
    slow.destroy();
  });

  it('HTTP: the JSON API needs the viewer token; polling transport is refused', async () => {
    expect((await fetch(`${hub.url}/api/hosts`)).status).toBe(401);
    expect(
      (await fetch(`${hub.url}/api/hosts`, { headers: { authorization: 'Bearer nope' } })).status,
    ).toBe(401);
    expect(
      (await fetch(`${hub.url}/api/hosts`, { headers: { authorization: `Bearer ${viewerToken}` } }))
        .status,
    ).toBe(200);
    expect(
      (
        await fetch(`${hub.url}/socket.io/?EIO=4&transport=polling`, {
          method: 'POST',
          body: 'junk',
        })
      ).status,
    ).toBeGreaterThanOrEqual(400);
  });
});

describe('afterwards', () => {
  it('every refusal was counted in /metrics', async () => {
    const metrics = await (await fetch(`${hub.url}/metrics`)).text();
    for (const code of ['BAD_REQUEST', 'UNAUTHENTICATED', 'BAD_VERSION', 'BAD_SIGNATURE'])
      expect(metrics).toMatch(new RegExp(`serfbort_refused_total\\{[^}]*code="${code}"`));
    expect(metrics).toMatch(/serfbort_unknown_events_total\{[^}]*\} [1-9]/);
  });

  it('stored data is intact: a real deploy works and the audit chain verifies', async () => {
    const before = agent.requests.length;
    expectOk(await call(op, 'deploy:submit', deployed({ version: 'v-after' })));
    await agent.waitForRequests(before + 1);
    const audit = expectOk(await call<{ ok: boolean; rows: number }>(op, 'audit:verify'));
    expect(audit.ok).toBe(true);
    expect(audit.rows).toBeGreaterThan(0);
  });
});
