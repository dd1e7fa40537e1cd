import type { AgentKeyRecord, PendingAgent, TrustBundle } from '@serfbort/core';
import {
  AGENT_NAMESPACE,
  PAYLOAD_TYPES,
  signPayload,
  toBase64,
  trustBundleDigest,
  verifyAgentKey,
  verifyKeyring,
} from '@serfbort/core';
import { nodeSigner, nodeVerifier } from '@serfbort/node';
import { key, standardTrust } from '@serfbort/testkit';
import type { AgentClient } from '@serfbort/testkit/hub';
import {
  call,
  connectAgent,
  connectOperator,
  connectSocket,
  expectOk,
  newEnrollmentToken,
  nextEvent,
  signAgentHello,
  signApproval,
  signGrant,
} from '@serfbort/testkit/hub';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestHub } from '../testing/test-hub.js';
import { startTestHub } from '../testing/test-hub.js';

const trust = standardTrust();
let hub: TestHub;
let op: Awaited<ReturnType<typeof connectOperator>>;

beforeAll(async () => {
  hub = await startTestHub({ trust, authTimeoutMs: 1_000 });
  op = await connectOperator(hub.url, { key: trust.operatorKey });
});
afterAll(async () => {
  op?.disconnect();
  await hub?.dispose();
});

async function refusedHello(
  build: (challenge: { nonce: string; hubId: string }) => unknown,
): Promise<string> {
  const socket = await connectSocket<AgentClient>(hub.url, AGENT_NAMESPACE);
  try {
    const challenge = expectOk(
      await call<{ nonce: string; hubId: string }>(socket, 'auth:challenge'),
    );
    const ack = await call(socket, 'auth:hello', build(challenge));
    return ack.ok ? 'ok' : ack.error.code;
  } finally {
    socket.disconnect();
  }
}

/** One hello on a new socket, with whatever follows the signed envelope. */
async function helloWith(
  id: { key: ReturnType<typeof key>; name: string },
  ...more: unknown[]
): Promise<Record<string, unknown>> {
  const socket = await connectSocket<AgentClient>(hub.url, AGENT_NAMESPACE);
  try {
    const challenge = expectOk(
      await call<{ nonce: string; hubId: string }>(socket, 'auth:challenge'),
    );
    return expectOk(await call(socket, 'auth:hello', signAgentHello(id, challenge), ...more));
  } finally {
    socket.disconnect();
  }
}

describe('agent hello', () => {
  it('leaves the trust bundle out of the answer only when the agent holds exactly that bundle', async () => {
    const id = { key: key(230), name: 'digest-1' };
    const first = await helloWith(id);
    expect(first).toHaveProperty('trust.roots');
    const digest = trustBundleDigest(first.trust as TrustBundle);
    // an agent that says it holds this bundle gets its digest back and no bundle
    const again = await helloWith(id, { trustDigest: digest });
    expect(again).toEqual({ status: first.status, trustDigest: digest });
    // one that holds another bundle, or says something unreadable, gets the whole bundle
    for (const options of [{ trustDigest: 'ab'.repeat(32) }, { trustDigest: 42 }, 'junk', {}]) {
      const answer = await helloWith(id, options);
      expect(answer).toEqual({ status: first.status, trust: first.trust });
    }
  });

  it('puts an unknown key in the pending list', async () => {
    const agent = await connectAgent(hub.url, {
      key: key(200),
      name: 'new-1',
      labels: { role: 'web' },
      apps: ['shop'],
    });
    expect(agent.status).toBe('pending');
    expect(agent.trust.roots).toHaveLength(1);
    const pending = expectOk(await call<PendingAgent[]>(op, 'agents:pending'));
    expect(pending.map((p) => [p.name, p.keyId])).toContainEqual(['new-1', key(200).keyId]);
    expect(
      (await call(agent.socket, 'presence', { apps: {}, running: [] })).ok === false &&
        'PENDING_APPROVAL',
    ).toBe('PENDING_APPROVAL');
    agent.socket.disconnect();
  });

  it('refuses a hello signed by another key', async () => {
    const code = await refusedHello((c) => {
      const env = signAgentHello({ key: key(201), name: 'x-1' }, c);
      const forged = signAgentHello({ key: key(202), name: 'x-1' }, c);
      return { ...env, signatures: forged.signatures };
    });
    expect(code).toBe('UNAUTHENTICATED');
  });

  it('refuses a hello for another nonce, another hub, or an old time', async () => {
    expect(
      await refusedHello((c) =>
        signAgentHello({ key: key(203), name: 'x-2' }, { ...c, nonce: 'A'.repeat(32) }),
      ),
    ).toBe('UNAUTHENTICATED');
    expect(
      await refusedHello((c) =>
        signAgentHello({ key: key(203), name: 'x-2' }, { ...c, hubId: 'other-hub' }),
      ),
    ).toBe('UNAUTHENTICATED');
    expect(
      await refusedHello((c) =>
        signAgentHello({ key: key(203), name: 'x-2' }, c, Date.now() - 60 * 60 * 1000),
      ),
      // signed and answering this challenge: only its time is wrong, and the agent is told so
    ).toBe('CLOCK_SKEW');
  });

  it('refuses a hello without a challenge, and a nonce answers one hello only', async () => {
    const socket = await connectSocket<AgentClient>(hub.url, AGENT_NAMESPACE);
    const noChallenge = await call(
      socket,
      'auth:hello',
      signAgentHello({ key: key(204), name: 'x-3' }, { nonce: 'B'.repeat(32), hubId: hub.hubId }),
    );
    expect(noChallenge.ok || noChallenge.error.code).toBe('UNAUTHENTICATED');
    const challenge = expectOk(
      await call<{ nonce: string; hubId: string }>(socket, 'auth:challenge'),
    );
    const hello = signAgentHello({ key: key(204), name: 'x-3' }, challenge);
    expect(expectOk(await call<{ status: string }>(socket, 'auth:hello', hello)).status).toBe(
      'pending',
    );
    const again = await call(socket, 'auth:hello', hello);
    expect(again.ok || again.error.code).toBe('UNAUTHENTICATED');
    socket.disconnect();
  });

  it('answers a malformed hello with BAD_REQUEST and a wrong payload type with a code', async () => {
    expect(
      await refusedHello(() => ({ payloadType: 'x', payload: 'not base64!', signatures: [] })),
    ).toBe('BAD_REQUEST');
    expect(await refusedHello(() => 'hello')).toBe('BAD_REQUEST');
    expect(
      await refusedHello((c) =>
        signPayload(PAYLOAD_TYPES.agentAuth, { type: 'agent-auth', nonce: c.nonce }, [
          nodeSigner(key(205)),
        ]),
      ),
    ).toBe('BAD_REQUEST');
  });

  it('refuses events before the hello and closes a socket that never authenticates', async () => {
    const socket = await connectSocket<AgentClient>(hub.url, AGENT_NAMESPACE);
    const ack = await call(socket, 'deploy:receipt', {});
    expect(ack.ok || ack.error.code).toBe('UNAUTHENTICATED');
    await nextEvent(socket, 'disconnect', 3_000);
  });
});

describe('approval by an operator', () => {
  it('lets the waiting agent in without reconnecting and keeps the evidence', async () => {
    const agentKey = key(210);
    const agent = await connectAgent(hub.url, {
      key: agentKey,
      name: 'app-1',
      labels: { role: 'app' },
      apps: ['shop'],
    });
    const approved = nextEvent(agent.socket, 'auth:approved');
    expect(
      expectOk(
        await call(op, 'agents:approve', signApproval(trust.operatorKey, agentKey, 'app-1')),
      ),
    ).toEqual({ host: 'app-1' });
    await approved;
    expect(
      expectOk(
        await call(agent.socket, 'presence', {
          apps: { shop: { version: 'v1', at: Date.now() } },
          running: [],
        }),
      ),
    ).toBeNull();
    const records = expectOk(await call<AgentKeyRecord[]>(op, 'agents:keys'));
    const record = records.find((r) => r.host === 'app-1')!;
    const keyring = verifyKeyring(trust.root.root, trust.keyring.envelope, nodeVerifier, {
      now: Date.now(),
    });
    expect(keyring.ok && verifyAgentKey(record, keyring.value, nodeVerifier).ok).toBe(true);
    agent.socket.disconnect();
    // the next connection is approved at once
    const again = await connectAgent(hub.url, {
      key: agentKey,
      name: 'app-1',
      labels: { role: 'app' },
      apps: ['shop'],
    });
    expect(again.status).toBe('approved');
    again.socket.disconnect();
  });

  it('refuses an approval not signed by a keyring operator', async () => {
    const ack = await call(op, 'agents:approve', signApproval(key(99), key(211), 'app-2'));
    expect(ack.ok || ack.error.code).toBe('UNKNOWN_SIGNER');
  });

  it('refuses a name held by another key with NAME_TAKEN', async () => {
    const err = await connectAgent(hub.url, { key: key(212), name: 'app-1' }).catch(
      (e: { code: string }) => e.code,
    );
    expect(err).toBe('NAME_TAKEN');
  });
});

describe('enrollment tokens', () => {
  it('work once, and only until they expire', async () => {
    const token = newEnrollmentToken();
    expect(
      expectOk(
        await call<{ expiresAt: number }>(op, 'agents:grant', signGrant(trust.operatorKey, token)),
      ).expiresAt,
    ).toBeGreaterThan(Date.now());
    const first = await connectAgent(hub.url, {
      key: key(220),
      name: 'tok-1',
      enrollmentToken: token,
    });
    expect(first.status).toBe('approved');
    const second = await connectAgent(hub.url, {
      key: key(221),
      name: 'tok-2',
      enrollmentToken: token,
    }).catch((e: { code: string }) => e.code);
    expect(second).toBe('TOKEN_INVALID');
    const records = expectOk(await call<AgentKeyRecord[]>(op, 'agents:keys'));
    const keyring = verifyKeyring(trust.root.root, trust.keyring.envelope, nodeVerifier, {
      now: Date.now(),
    });
    const record = records.find((r) => r.host === 'tok-1')!;
    expect(record.evidence.kind).toBe('enrollment');
    expect(keyring.ok && verifyAgentKey(record, keyring.value, nodeVerifier).ok).toBe(true);
    first.socket.disconnect();
  });

  it('refuses an unknown token, a token for another host, and an expired grant', async () => {
    expect(
      await connectAgent(hub.url, {
        key: key(222),
        name: 'tok-3',
        enrollmentToken: newEnrollmentToken(),
      }).catch((e: { code: string }) => e.code),
    ).toBe('TOKEN_INVALID');
    const token = newEnrollmentToken();
    expectOk(
      await call(op, 'agents:grant', signGrant(trust.operatorKey, token, { host: 'only-this' })),
    );
    expect(
      await connectAgent(hub.url, { key: key(223), name: 'tok-4', enrollmentToken: token }).catch(
        (e: { code: string }) => e.code,
      ),
    ).toBe('TOKEN_INVALID');
    const expired = await call(
      op,
      'agents:grant',
      signGrant(trust.operatorKey, newEnrollmentToken(), { expiresAt: Date.now() - 1 }),
    );
    expect(expired.ok || expired.error.code).toBe('EXPIRED');
  });

  it('never stores or logs the token itself', async () => {
    const token = newEnrollmentToken();
    const grant = signGrant(trust.operatorKey, token);
    expect(JSON.stringify(grant)).not.toContain(token);
    expect(toBase64(new TextEncoder().encode(token))).not.toBe('');
  });
});
