import type { DeploymentUpdate, DeploymentView } from '@serfbort/core';
import { key, signDeploy, standardTrust } from '@serfbort/testkit';
import {
  call,
  connectAgent,
  connectOperator,
  expectOk,
  nextEvent,
  signApproval,
  signReceipt,
} from '@serfbort/testkit/hub';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestHub } from '../testing/test-hub.js';
import { startTestHub } from '../testing/test-hub.js';

const trust = standardTrust();
let hub: TestHub;

beforeAll(async () => {
  hub = await startTestHub({ trust });
});
afterAll(async () => {
  await hub?.dispose();
});

describe('a deploy to an approved agent', () => {
  it('relays the exact envelope, streams states and stores the receipt once', async () => {
    const agentKey = key(100);
    const pending = await connectAgent(hub.url, {
      key: agentKey,
      name: 'web-1',
      labels: { role: 'web' },
      apps: ['shop'],
    });
    expect(pending.status).toBe('pending');
    const op = await connectOperator(hub.url, { key: trust.operatorKey });
    const approved = nextEvent(pending.socket, 'auth:approved');
    expectOk(await call(op, 'agents:approve', signApproval(trust.operatorKey, agentKey, 'web-1')));
    await approved;

    const { envelope } = signDeploy(
      { app: 'shop', version: 'v1.2.3', target: { selector: 'role=web' } },
      [trust.operatorKey],
    );
    const delivered = nextEvent<DeploymentUpdate>(op, 'deploy:update');
    const view = expectOk(await call<DeploymentView>(op, 'deploy:submit', envelope));
    expect(view.hosts.map((h) => h.host)).toEqual(['web-1']);
    expect((await delivered).host.state).toBe('delivered');
    expect(pending.requests).toEqual([envelope]);

    const receipt = signReceipt(agentKey, 'web-1', envelope);
    const done = nextEvent<DeploymentUpdate>(op, 'deploy:update');
    expect(expectOk(await call(pending.socket, 'deploy:receipt', receipt))).toEqual({
      stored: true,
    });
    expect((await done).host.state).toBe('succeeded');
    expect(expectOk(await call(pending.socket, 'deploy:receipt', receipt))).toEqual({
      stored: true,
    });
    const after = expectOk(
      await call<DeploymentView>(op, 'deploy:watch', { requestId: view.requestId }),
    );
    expect(after.hosts[0]?.receipt).toEqual(receipt);
    pending.socket.disconnect();
    op.disconnect();
  });
});
