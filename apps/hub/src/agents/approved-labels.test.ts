import type { HostView, KeyPair, Labels, PendingAgent } from '@serfbort/core';
import { payloadTypeOf, signPayload, toBase64 } from '@serfbort/core';
import { nodeSigner } from '@serfbort/node';
import { key, standardTrust } from '@serfbort/testkit';
import { call, connectAgent, connectOperator, expectOk, signApproval } from '@serfbort/testkit/hub';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestHub } from '../testing/test-hub.js';
import { startTestHub } from '../testing/test-hub.js';

const trust = standardTrust();
let hub: TestHub;
let op: Awaited<ReturnType<typeof connectOperator>>;

beforeAll(async () => {
  hub = await startTestHub({ trust });
  op = await connectOperator(hub.url, { key: trust.operatorKey });
});
afterAll(async () => {
  op?.disconnect();
  await hub?.dispose();
});

function approveV2(agent: KeyPair, host: string, labels: Labels) {
  const approval = {
    type: 'approval',
    host,
    agentKeyId: agent.keyId,
    agentPublicKey: toBase64(agent.publicKey),
    approvedAt: Date.now(),
    labels,
  };
  const envelope = signPayload(payloadTypeOf('approval', 2), approval, [
    nodeSigner(trust.operatorKey),
  ]);
  return call(op, 'agents:approve', envelope);
}

/** Says hello with these labels, then leaves. */
async function visit(k: KeyPair, name: string, labels: Labels) {
  const agent = await connectAgent(hub.url, { key: k, name, labels });
  agent.socket.disconnect();
  return agent.status;
}

const host = async (name: string) =>
  expectOk(await call<HostView[]>(op, 'hosts:list', {})).find((h) => h.name === name);
const pending = async (name: string) =>
  expectOk(await call<PendingAgent[]>(op, 'agents:pending')).filter((p) => p.name === name);

describe('an approval that signs labels (v2)', () => {
  const k = key(610);

  it('routes by the approved labels when the agent announces others', async () => {
    expect(await visit(k, 'lab-1', { role: 'web' })).toBe('pending');
    expectOk(await approveV2(k, 'lab-1', { role: 'web' }));
    expect(await visit(k, 'lab-1', { role: 'db' })).toBe('approved');
    expect(await host('lab-1')).toMatchObject({
      labels: { role: 'web' },
      labelState: 'changed',
      announcedLabels: { role: 'db' },
    });
    expect(await pending('lab-1')).toEqual([
      expect.objectContaining({ labels: { role: 'db' }, approvedLabels: { role: 'web' } }),
    ]);
  });

  it('drops the change from the pending list when the agent announces its approved labels again', async () => {
    expect(await visit(k, 'lab-1', { role: 'web' })).toBe('approved');
    expect(await pending('lab-1')).toEqual([]);
    expect(await host('lab-1')).toMatchObject({ labels: { role: 'web' }, labelState: 'approved' });
  });

  it('moves the host when an operator approves the new labels', async () => {
    expect(await visit(k, 'lab-1', { role: 'db' })).toBe('approved');
    expectOk(await approveV2(k, 'lab-1', { role: 'db' }));
    expect(await host('lab-1')).toMatchObject({ labels: { role: 'db' }, labelState: 'approved' });
    expect(await pending('lab-1')).toEqual([]);
  });
});

describe('an approval from before labels were signed (v1)', () => {
  it('keeps following the announced labels, shown as not approved', async () => {
    const k = key(611);
    expect(await visit(k, 'old-1', { role: 'web' })).toBe('pending');
    expectOk(await call(op, 'agents:approve', signApproval(trust.operatorKey, k, 'old-1')));
    expect(await visit(k, 'old-1', { role: 'db' })).toBe('approved');
    expect(await host('old-1')).toMatchObject({
      labels: { role: 'db' },
      labelState: 'not-approved',
    });
    expect(await pending('old-1')).toEqual([]);
  });
});
