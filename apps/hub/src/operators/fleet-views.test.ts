import type { DeploymentSummary, HostView } from '@serfbort/core';
import { key, signDeploy, standardTrust } from '@serfbort/testkit';
import type { OperatorClient } from '@serfbort/testkit/hub';
import {
  call,
  connectAgent,
  connectOperator,
  expectOk,
  nextEvent,
  signApproval,
} from '@serfbort/testkit/hub';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestHub } from '../testing/test-hub.js';
import { startTestHub } from '../testing/test-hub.js';

const trust = standardTrust();
let hub: TestHub;
let op: OperatorClient;

beforeAll(async () => {
  hub = await startTestHub({ trust });
  op = await connectOperator(hub.url, { key: trust.operatorKey });
});
afterAll(async () => {
  op?.disconnect();
  await hub?.dispose();
});

describe('the live fleet', () => {
  it('streams hosts:changed for presence, versions and goodbyes', async () => {
    expectOk(await call(op, 'hosts:subscribe'));
    const agentKey = key(800);
    const agent = await connectAgent(hub.url, {
      key: agentKey,
      name: 'live-1',
      labels: { role: 'web', dc: 'ams' },
      apps: ['shop'],
    });
    const online = nextEvent<HostView>(op, 'hosts:changed');
    expectOk(await call(op, 'agents:approve', signApproval(trust.operatorKey, agentKey, 'live-1')));
    expect(await online).toMatchObject({
      name: 'live-1',
      state: 'online',
      labels: { role: 'web', dc: 'ams' },
      approved: true,
    });
    const versioned = nextEvent<HostView>(op, 'hosts:changed');
    expectOk(
      await call(agent.socket, 'presence', {
        apps: { shop: { version: 'abc', at: Date.now() } },
        running: [],
      }),
    );
    expect((await versioned).apps.shop?.version).toBe('abc');
    const left = nextEvent<HostView>(op, 'hosts:changed');
    expectOk(await call(agent.socket, 'leave'));
    expect((await left).state).toBe('left');
    agent.socket.disconnect();
    const hosts = expectOk(
      await call<HostView[]>(op, 'hosts:list', { target: { selector: 'dc=ams' } }),
    );
    expect(hosts.map((h) => [h.name, h.state])).toEqual([['live-1', 'left']]);
    expect(
      expectOk(await call<HostView[]>(op, 'hosts:list', { target: { selector: 'dc=fra' } })),
    ).toEqual([]);
  });

  it('lists deployments newest first with counts per state', async () => {
    const a = signDeploy({ app: 'shop', version: 'v1', target: { hosts: ['live-1'] } }, [
      trust.operatorKey,
    ]);
    const b = signDeploy({ app: 'shop', version: 'v2', target: { hosts: ['live-1'] } }, [
      trust.operatorKey,
    ]);
    expectOk(await call(op, 'deploy:submit', a.envelope));
    expectOk(await call(op, 'deploy:submit', b.envelope));
    const list = expectOk(await call<DeploymentSummary[]>(op, 'deploy:list', { app: 'shop' }));
    expect(list.map((d) => d.version)).toEqual(['v2', 'v1']);
    expect(list[0]?.counts).toEqual({ pending: 1 });
    expect(list[0]?.signerNames).toEqual(['alice']);
    expect(expectOk(await call<DeploymentSummary[]>(op, 'deploy:list', { limit: 1 }))).toHaveLength(
      1,
    );
  });
});
