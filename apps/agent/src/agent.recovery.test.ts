import type { Envelope } from '@serfbort/core';
import { sha256Hex } from '@serfbort/core';
import { signDeploy, standardTrust } from '@serfbort/testkit';
import type { AgentProcess, OperatorClient, TestHub } from '@serfbort/testkit/agent';
import {
  createTestHost,
  eventually,
  isAlive,
  OperatorClient as Operator,
  removeTestHosts,
  restartAgent,
  startApprovedAgent,
  startTestHub,
} from '@serfbort/testkit/agent';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const trust = standardTrust();
const digestOf = (payload: string) => sha256Hex(new Uint8Array(Buffer.from(payload, 'base64')));
const pin = { rootFingerprint: digestOf(trust.root.envelope.payload) };
let hub: TestHub;
let operator: OperatorClient;
const agents: AgentProcess[] = [];

async function connectOperator(): Promise<OperatorClient> {
  operator?.close();
  operator = await Operator.connect(hub.url, trust.operatorKey);
  return operator;
}

beforeAll(async () => {
  hub = await startTestHub();
  await connectOperator();
  await operator.publishTrust({ root: trust.root.envelope, keyring: trust.keyring.envelope });
  await operator.login();
});

afterAll(async () => {
  await Promise.all(agents.map((a) => a.stop('SIGKILL')));
  operator?.close();
  await hub?.dispose();
  removeTestHosts();
});

async function receiptOf(envelope: Envelope, id: string, host: string) {
  const progress = await operator.waitForHost(id, host);
  return operator.verifiedReceipt(
    progress,
    { id, digest: digestOf(envelope.payload) },
    trust.root.root,
    trust.keyring.envelope,
  );
}

describe('an agent killed with SIGKILL mid-deploy', () => {
  it('reports the deploy interrupted after its restart, and ends the deploy it left running', async () => {
    const host = createTestHost({ name: 'crash-1', hub: hub.url, ...pin });
    const first = await startApprovedAgent(operator, host, 'crash-1');
    agents.push(first);
    const { envelope, request } = signDeploy(
      { app: 'web', version: 'hold-1', target: { hosts: ['crash-1'] } },
      [trust.operatorKey],
    );
    await operator.submit(envelope);
    await eventually(() => host.started('web', 'hold-1'), 10_000, 'the deploy to start');
    // the journal names the process group once this is logged; a kill before it leaves an orphan
    await first.waitForEvent('deploy.running', { requestId: request.id });
    await first.stop('SIGKILL');

    const second = await restartAgent(host);
    agents.push(second);
    const receipt = await receiptOf(envelope, request.id, 'crash-1');
    expect(receipt).toMatchObject({
      status: 'interrupted',
      reason: 'AGENT_RESTARTED',
      exitCode: null,
    });
    const killed = await second.waitForEvent('deploy.leftover-killed', { requestId: request.id });
    await eventually(() => !isAlive(killed.pgid as number), 5000, 'the old deploy to end');
    host.release('web');
    expect(host.ranLog('web').some((l) => l.startsWith('end hold-1'))).toBe(false);
  });
});

describe('a hub restarted mid-deploy', () => {
  it('gets the receipt after the agent reconnects', async () => {
    const host = createTestHost({ name: 'hubless-1', hub: hub.url, ...pin });
    const agent = await startApprovedAgent(operator, host, 'hubless-1');
    agents.push(agent);
    const { envelope, request } = signDeploy(
      { app: 'web', version: 'hold-2', target: { hosts: ['hubless-1'] } },
      [trust.operatorKey],
    );
    await operator.submit(envelope);
    await eventually(() => host.started('web', 'hold-2'), 10_000, 'the deploy to start');
    operator.close();
    const { port, dataDir } = hub;
    await hub.close();
    host.release('web');
    await agent.waitForEvent('deploy.finished', { requestId: request.id });
    expect(agent.logs.some((l) => l.event === 'receipt.acked' && l.requestId === request.id)).toBe(
      false,
    );

    hub = await startTestHub({ port, dataDir });
    await (await connectOperator()).login();
    const receipt = await receiptOf(envelope, request.id, 'hubless-1');
    expect(receipt).toMatchObject({ status: 'succeeded', versionAfter: 'hold-2' });
    await agent.waitForEvent('receipt.acked', { requestId: request.id });
    // its hello said which trust it holds, and an answer without the bundle is no fault
    expect(agent.logs.filter((l) => l.event === 'hub.bad-message')).toEqual([]);
  });
});

describe('SIGTERM while a deploy runs', () => {
  it('lets the deploy finish within the grace period, sends its receipt, exits 0', async () => {
    const host = createTestHost({
      name: 'grace-1',
      hub: hub.url,
      extra: { shutdownGrace: '20s' },
      ...pin,
    });
    const agent = await startApprovedAgent(operator, host, 'grace-1');
    agents.push(agent);
    const { envelope, request } = signDeploy(
      { app: 'web', version: 'hold-3', target: { hosts: ['grace-1'] } },
      [trust.operatorKey],
    );
    await operator.submit(envelope);
    await eventually(() => host.started('web', 'hold-3'), 10_000, 'the deploy to start');
    agent.child.kill('SIGTERM');
    await agent.waitForEvent('agent.leaving');
    host.release('web');
    expect(await agent.exited).toEqual({ code: 0, signal: null });
    expect(await receiptOf(envelope, request.id, 'grace-1')).toMatchObject({
      status: 'succeeded',
      versionAfter: 'hold-3',
    });
  });

  it('after the grace period kills the deploy and reports it interrupted', async () => {
    const host = createTestHost({
      name: 'grace-2',
      hub: hub.url,
      extra: { shutdownGrace: '500ms' },
      ...pin,
    });
    const agent = await startApprovedAgent(operator, host, 'grace-2');
    agents.push(agent);
    const { envelope, request } = signDeploy(
      { app: 'web', version: 'hold-4', target: { hosts: ['grace-2'] } },
      [trust.operatorKey],
    );
    await operator.submit(envelope);
    await eventually(() => host.started('web', 'hold-4'), 10_000, 'the deploy to start');
    expect(await agent.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    expect(await receiptOf(envelope, request.id, 'grace-2')).toMatchObject({
      status: 'interrupted',
      reason: 'AGENT_SHUTDOWN',
    });
    expect((await operator.host('grace-2'))?.state).toBe('left');
  });
});
