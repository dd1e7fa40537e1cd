import type { Envelope } from '@serfbort/core';
import { sha256Hex } from '@serfbort/core';
import { key, signDeploy, signRoot, standardTrust } from '@serfbort/testkit';
import type { AgentProcess, OperatorClient, TestHost, TestHub } from '@serfbort/testkit/agent';
import {
  createTestHost,
  OperatorClient as Operator,
  removeTestHosts,
  spawnAgent,
  startApprovedAgent,
  startTestHub,
} from '@serfbort/testkit/agent';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const trust = standardTrust();
const digestOf = (payload: string) => sha256Hex(new Uint8Array(Buffer.from(payload, 'base64')));
const pin = { rootFingerprint: digestOf(trust.root.envelope.payload) };
const hubs: TestHub[] = [];
const operators: OperatorClient[] = [];
const agents: AgentProcess[] = [];

async function hubWithTrust(): Promise<{ hub: TestHub; operator: OperatorClient }> {
  const hub = await startTestHub();
  hubs.push(hub);
  const operator = await Operator.connect(hub.url, trust.operatorKey);
  operators.push(operator);
  await operator.publishTrust({ root: trust.root.envelope, keyring: trust.keyring.envelope });
  await operator.login();
  return { hub, operator };
}

afterAll(async () => {
  await Promise.all(agents.map((a) => a.stop('SIGKILL')));
  for (const o of operators) o.close();
  await Promise.all(hubs.map((h) => h.dispose()));
  removeTestHosts();
});

/** Submits, waits for the host's answer and verifies it as a client would. */
async function answer(operator: OperatorClient, envelope: Envelope, id: string, host: string) {
  await operator.submit(envelope);
  const progress = await operator.waitForHost(id, host);
  return operator.verifiedReceipt(
    progress,
    { id, digest: digestOf(envelope.payload) },
    trust.root.root,
    trust.keyring.envelope,
  );
}

describe('refusals reach the operator as signed rejected receipts, and nothing runs', () => {
  let hub: TestHub;
  let operator: OperatorClient;
  let host: TestHost;
  let applied: ReturnType<typeof signDeploy>;

  beforeAll(async () => {
    ({ hub, operator } = await hubWithTrust());
    host = createTestHost({ name: 'ref-1', hub: hub.url, apps: ['web'], ...pin });
    agents.push(await startApprovedAgent(operator, host, 'ref-1'));
    applied = signDeploy({ app: 'web', version: 'v1', target: { hosts: ['ref-1'] } }, [
      trust.operatorKey,
    ]);
    expect((await answer(operator, applied.envelope, applied.request.id, 'ref-1')).status).toBe(
      'succeeded',
    );
  });

  it('APP_NOT_CONFIGURED: an app this host does not have', async () => {
    const { envelope, request } = signDeploy(
      { app: 'billing', version: 'v1', target: { hosts: ['ref-1'] } },
      [trust.operatorKey],
    );
    const receipt = await answer(operator, envelope, request.id, 'ref-1');
    expect(receipt).toMatchObject({
      status: 'rejected',
      reason: 'APP_NOT_CONFIGURED',
      exitCode: null,
      app: 'billing',
    });
    expect(host.ranLog('web')).toHaveLength(2);
  });

  it('STALE: an older request than the last one applied (no rollback by replay)', async () => {
    const { envelope, request } = signDeploy(
      {
        app: 'web',
        version: 'v0',
        target: { hosts: ['ref-1'] },
        issuedAt: applied.request.issuedAt - 60_000,
      },
      [trust.operatorKey],
    );
    const receipt = await answer(operator, envelope, request.id, 'ref-1');
    expect(receipt).toMatchObject({ status: 'rejected', reason: 'STALE' });
    expect(host.ranLog('web').filter((l) => l.includes(' v0 '))).toEqual([]);
    expect(host.currentVersion('web')).toBe('v1');
  });

  it('REPLAYED: the same signed request, relayed again by a hub after the agent restarted', async () => {
    await agents[0]!.stop('SIGTERM');
    // a second hub that never saw the request: as a compromised hub would, it relays old bytes again
    const second = await hubWithTrust();
    host.writeConfig({ hub: second.hub.url });
    agents.push(await startApprovedAgent(second.operator, host, 'ref-1'));
    const receipt = await answer(second.operator, applied.envelope, applied.request.id, 'ref-1');
    expect(receipt).toMatchObject({
      status: 'rejected',
      reason: 'REPLAYED',
      requestId: applied.request.id,
    });
    expect(host.ranLog('web').filter((l) => l.startsWith('start'))).toEqual([
      expect.stringMatching(/^start v1 /),
    ]);
  });

  it('NAME_TAKEN: a second key claiming a taken name is refused, logged as an error people can act on', async () => {
    const impostor = createTestHost({ name: 'ref-1', hub: hub.url, ...pin });
    const agent = spawnAgent({ configPath: impostor.configPath });
    agents.push(agent);
    const refused = await agent.waitForEvent('hub.auth-refused');
    expect(refused.code).toBe('NAME_TAKEN');
    expect(refused.level).toBe(50);
  });

  it('TRUST_EXPIRED: an agent pinned to another root trusts nothing the hub sends', async () => {
    const otherRoot = signRoot({ keys: [key(7)] }, [key(7)]);
    const lonely = createTestHost({
      name: 'ref-2',
      hub: hub.url,
      apps: ['web'],
      rootFingerprint: digestOf(otherRoot.envelope.payload),
    });
    const agent = await startApprovedAgent(operator, lonely, 'ref-2');
    agents.push(agent);
    expect(
      agent.logs.some((l) => l.event === 'trust.refused' && l.code === 'TRUST_PIN_MISMATCH'),
    ).toBe(true);
    const { envelope, request } = signDeploy(
      { app: 'web', version: 'v1', target: { hosts: ['ref-2'] } },
      [trust.operatorKey],
    );
    const receipt = await answer(operator, envelope, request.id, 'ref-2');
    expect(receipt).toMatchObject({ status: 'rejected', reason: 'TRUST_EXPIRED' });
    expect(lonely.ranLog('web')).toEqual([]);
  });
});
