import type { HostView } from '@serfbort/core';
import { AGENT_NAMESPACE } from '@serfbort/core';
import { key, standardTrust } from '@serfbort/testkit';
import type { AgentClient, OperatorClient } from '@serfbort/testkit/hub';
import {
  call,
  connectAgent,
  connectOperator,
  connectSocket,
  expectOk,
  signAgentHello,
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

const stateOf = async (name: string) =>
  expectOk(await call<HostView[]>(op, 'hosts:list', { target: { hosts: [name] } }))[0]?.state;

async function until(check: () => Promise<boolean>, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return check();
}

/**
 * Rounds of reconnects in which the old connection ends (by `end`) while the hub records
 * the new connection's hello; the host must be online after each, lost when the last ends.
 */
async function reconnectRounds(
  id: { key: ReturnType<typeof key>; name: string; apps: string[] },
  end: (old: AgentClient) => void,
): Promise<void> {
  const first = await connectAgent(hub.url, id);
  expectOk(await call(op, 'agents:approve', signApproval(trust.operatorKey, id.key, id.name)));
  expect(await until(async () => (await stateOf(id.name)) === 'online', 5_000)).toBe(true);
  let old = first.socket;
  for (let round = 0; round < 12; round++) {
    const next = await connectSocket<AgentClient>(hub.url, AGENT_NAMESPACE);
    const challenge = expectOk(
      await call<{ nonce: string; hubId: string }>(next, 'auth:challenge'),
    );
    const hello = call<{ status: string }>(next, 'auth:hello', signAgentHello(id, challenge));
    end(old);
    expect(expectOk(await hello).status).toBe('approved');
    old = next;
  }
  // whatever the old connections wrote has landed within this time
  const wrong = await until(async () => (await stateOf(id.name)) !== 'online', 1_000);
  expect(wrong ? await stateOf(id.name) : 'online').toBe('online');
  // the connection that holds the host still marks it lost when it ends
  old.disconnect();
  expect(await until(async () => (await stateOf(id.name)) === 'lost', 5_000)).toBe(true);
}

describe('presence across a reconnect', () => {
  // Found by the soak (seed 6326): the new connection's hello was written online, then the
  // old connection's disconnect, noticed late, wrote `lost` over it; the host stayed
  // connected and was listed lost until its next reconnect.
  it('an old connection that ends while the new one says hello does not mark the host lost', async () => {
    await reconnectRounds({ key: key(840), name: 'race-1', apps: ['shop'] }, (old) =>
      old.disconnect(),
    );
  });

  it('a goodbye on the old connection while the new one says hello does not mark the host left', async () => {
    await reconnectRounds({ key: key(841), name: 'race-2', apps: ['shop'] }, (old) => {
      void call(old, 'leave').catch(() => undefined);
      old.disconnect();
    });
  });
});
