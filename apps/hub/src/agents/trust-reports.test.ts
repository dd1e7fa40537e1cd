import type { HostView, TrustReport } from '@serfbort/core';
import { currentPayloadType, signerFor, signPayload } from '@serfbort/core';
import { key, standardTrust } from '@serfbort/testkit';
import type { OperatorClient } from '@serfbort/testkit/hub';
import { call, connectAgent, connectOperator, expectOk, signApproval } from '@serfbort/testkit/hub';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestHub } from '../testing/test-hub.js';
import { startTestHub } from '../testing/test-hub.js';

/*
 * Trust views: the hub keeps each host's latest trust report and relays it as signed.
 * It takes only a report its sender's approved key signed, about that sender.
 */

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

const report = (host: string, by: ReturnType<typeof key>, keyring = 1) =>
  signPayload(
    currentPayloadType('trustReport'),
    {
      type: 'trust-report',
      host,
      root: 1,
      rootDigest: 'b'.repeat(64),
      keyring,
      at: Date.now(),
    } satisfies TrustReport,
    [signerFor(by)],
  );

describe("an agent's trust report", () => {
  it('is relayed as signed in host views; another key or host is refused', async () => {
    const agentKey = key(820);
    const agent = await connectAgent(hub.url, {
      key: agentKey,
      name: 'tr-1',
      labels: { role: 'web' },
      apps: ['shop'],
    });
    expectOk(await call(op, 'agents:approve', signApproval(trust.operatorKey, agentKey, 'tr-1')));
    const forged = await call(agent.socket, 'trust:report', report('tr-1', key(821)));
    expect(forged).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    const foreign = await call(agent.socket, 'trust:report', report('tr-2', agentKey));
    expect(foreign).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    const signed = report('tr-1', agentKey, 3);
    expectOk(await call(agent.socket, 'trust:report', signed));
    const [view] = expectOk(
      await call<HostView[]>(op, 'hosts:list', { target: { hosts: ['tr-1'] } }),
    );
    expect(view?.trustReport).toEqual(signed);
    agent.socket.disconnect();
  });
});
