import { randomBytes } from 'node:crypto';
import type { AuditVerdict, DeploymentView } from '@serfbort/core';
import { sha256Hex } from '@serfbort/core';
import { signDeploy, standardTrust } from '@serfbort/testkit';
import type { AgentProcess } from '@serfbort/testkit/agent';
import {
  OperatorClient as AgentOperator,
  createTestHost,
  eventually,
  removeTestHosts,
  startApprovedAgent,
} from '@serfbort/testkit/agent';
import type { HubProcess, TestDatabase } from '@serfbort/testkit/hub';
import {
  call,
  connectOperator,
  createTestDatabase,
  expectOk,
  publishTrust,
  reachable,
  spawnHub,
} from '@serfbort/testkit/hub';
import { createClient } from 'redis';
import { afterEach, describe, expect, it } from 'vitest';

const available = (await reachable('127.0.0.1', 5432)) && (await reachable('127.0.0.1', 6379));
if (!available)
  console.warn('real-agent cluster test SKIPPED: needs PostgreSQL on :5432 and Redis on :6379');

const trust = standardTrust();
const pin = {
  rootFingerprint: sha256Hex(new Uint8Array(Buffer.from(trust.root.envelope.payload, 'base64'))),
};
const cleanup: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c().catch(() => undefined);
  removeTestHosts();
});

describe.skipIf(!available)('real agents with two hub URLs', { timeout: 120_000 }, () => {
  it('hub A SIGKILLed while its agent deploys: the agent moves to hub B and its receipt is stored once', async () => {
    const db = (await createTestDatabase()) as TestDatabase;
    cleanup.push(() => db.drop());
    const prefix = `serfbort-test-${randomBytes(6).toString('hex')}`;
    cleanup.push(async () => {
      const redis = createClient({ url: 'redis://127.0.0.1:6379' });
      redis.on('error', () => undefined);
      await redis.connect();
      await redis.del(`${prefix}:stream`);
      redis.destroy();
    });
    const env = (node: string) => ({
      DATABASE_URL: db.url,
      SERFBORT_REDIS_URL: 'redis://127.0.0.1:6379',
      SERFBORT_REDIS_PREFIX: prefix,
      SERFBORT_HUB_NODE: node,
      SERFBORT_HUB_HEARTBEAT_MS: '1000',
    });
    const A: HubProcess = await spawnHub(env('node-a'));
    cleanup.push(() => A.kill());
    const B: HubProcess = await spawnHub(env('node-b'));
    cleanup.push(() => B.kill());
    await publishTrust(A.url, trust);
    const operator = await AgentOperator.connect(A.url, trust.operatorKey);
    cleanup.push(async () => operator.close());
    await operator.login();

    // r1 prefers hub A, r2 prefers hub B; r2 waits for approval on B and is approved on A
    const agents: AgentProcess[] = [];
    cleanup.push(() => Promise.all(agents.map((a) => a.stop('SIGKILL'))).then(() => undefined));
    const hosts = {
      r1: createTestHost({ name: 'r1', hub: [A.url, B.url], ...pin }),
      r2: createTestHost({ name: 'r2', hub: [B.url, A.url], ...pin }),
    };
    for (const name of ['r1', 'r2'] as const)
      agents.push(await startApprovedAgent(operator, hosts[name], name));

    const { envelope, request } = signDeploy(
      { app: 'web', version: 'hold-1', target: { hosts: ['r1', 'r2'] } },
      [trust.operatorKey],
    );
    await operator.submit(envelope);
    await eventually(
      () => hosts.r1.started('web', 'hold-1') && hosts.r2.started('web', 'hold-1'),
      20_000,
      'both deploys to start',
    );
    await A.kill();
    hosts.r1.release('web');
    hosts.r2.release('web');
    for (const a of agents)
      await a.waitForEvent('receipt.acked', { requestId: request.id }, 60_000);

    const watcher = await connectOperator(B.url, { key: trust.operatorKey });
    cleanup.push(async () => void watcher.disconnect());
    const view = expectOk(
      await call<DeploymentView>(watcher, 'deploy:watch', { requestId: request.id }),
    );
    expect(view.hosts.map((h) => [h.host, h.state, h.versionAfter])).toEqual([
      ['r1', 'succeeded', 'hold-1'],
      ['r2', 'succeeded', 'hold-1'],
    ]);
    const audit = expectOk(await call<AuditVerdict>(watcher, 'audit:verify'));
    expect(audit).toMatchObject({ ok: true });
    for (const name of ['r1', 'r2'] as const) expect(hosts[name].ranLog('web').length).toBe(2);
  });
});
