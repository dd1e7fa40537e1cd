import { signDeploy, standardTrust } from '@serfbort/testkit';
import type { AgentProcess } from '@serfbort/testkit/agent';
import {
  createTestHost,
  removeTestHosts,
  spawnAgent,
  startRelayHub,
} from '@serfbort/testkit/agent';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/*
 * An agent process whose clock is 10 minutes behind, behind a hub that lets it in
 * anyway: a request refused by its time says in the signed receipt which clock is off.
 */

const trust = standardTrust();
let relay: Awaited<ReturnType<typeof startRelayHub>>;
let agent: AgentProcess;

beforeAll(async () => {
  relay = await startRelayHub({ roots: [trust.root.envelope], keyring: trust.keyring.envelope });
  const host = createTestHost({ name: 'late-1', hub: relay.url, root: trust.root.envelope });
  agent = spawnAgent({
    configPath: host.configPath,
    env: { SERFBORT_AGENT_CLOCK_OFFSET_MS: String(-600_000) },
  });
  await relay.connected('late-1');
});

afterAll(async () => {
  await agent?.stop('SIGKILL');
  await relay?.close();
  removeTestHosts();
});

describe('a request refused because of the agent’s own clock', () => {
  it('ISSUED_IN_FUTURE, with the observed skew in the signed receipt', async () => {
    const now = Date.now();
    const { envelope, request } = signDeploy(
      {
        app: 'web',
        version: 'v1',
        target: { hosts: ['late-1'] },
        issuedAt: now,
        expiresAt: now + 3_600_000,
      },
      [trust.operatorKey],
    );
    await relay.send('late-1', envelope);
    const { receipt } = await relay.receiptFor(request.id);
    expect(receipt).toMatchObject({ status: 'rejected', reason: 'ISSUED_IN_FUTURE' });
    expect(receipt.detail).toMatch(
      /this agent's clock is (599|60\d) s behind the hub's \(clock skew -(599|60\d) s\)/,
    );
  });
});
