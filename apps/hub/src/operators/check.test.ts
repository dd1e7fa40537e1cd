import type { CheckResult, KeyPair } from '@serfbort/core';
import { PAYLOAD_TYPES, signPayload } from '@serfbort/core';
import { nodeSigner } from '@serfbort/node';
import { key, standardTrust } from '@serfbort/testkit';
import type { OperatorClient, TestAgent } from '@serfbort/testkit/hub';
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
const agents: TestAgent[] = [];

function answerChecks(
  agent: TestAgent,
  host: string,
  signWith: KeyPair,
  version: string | 'silent',
) {
  agent.socket.on('check:run', (query, cb) => {
    if (version === 'silent') return;
    cb(
      signPayload(
        PAYLOAD_TYPES.checkAnswer,
        {
          type: 'check-answer',
          checkId: query.checkId,
          host,
          app: query.app,
          configured: true,
          version,
          at: Date.now(),
        },
        [nodeSigner(signWith)],
      ),
    );
  });
}

beforeAll(async () => {
  hub = await startTestHub({ trust });
  op = await connectOperator(hub.url, { key: trust.operatorKey });
  const specs = [
    ['good-1', key(700), 'abc123'],
    ['good-2', key(701), 'abc123'],
    ['forger-1', key(702), 'lies'],
    ['silent-1', key(703), 'silent'],
    ['gone-1', key(704), 'abc123'],
  ] as const;
  for (const [name, k, version] of specs) {
    const agent = await connectAgent(hub.url, {
      key: k,
      name,
      labels: { role: 'web' },
      apps: ['shop'],
    });
    const approved = nextEvent(agent.socket, 'auth:approved');
    expectOk(await call(op, 'agents:approve', signApproval(trust.operatorKey, k, name)));
    await approved;
    // the forger signs its answer with a key nobody approved
    answerChecks(agent, name, name === 'forger-1' ? key(799) : k, version);
    if (name === 'gone-1') agent.socket.disconnect();
    else agents.push(agent);
  }
});
afterAll(async () => {
  op?.disconnect();
  for (const a of agents) a.socket.disconnect();
  await hub?.dispose();
});

describe('check', () => {
  it('gathers signed answers and names offline, silent and badly-signed hosts unreachable', async () => {
    const result = expectOk(
      await call<CheckResult>(op, 'check:run', {
        app: 'shop',
        target: { selector: 'role=web' },
        timeoutMs: 500,
      }),
    );
    expect(result.answers).toHaveLength(2);
    expect(result.unreachable).toEqual(['forger-1', 'gone-1', 'silent-1']);
  });
});
