import { join } from 'node:path';
import type { Envelope } from '@serfbort/core';
import { fromBase64, utf8Decode } from '@serfbort/core';
import { key, signDeploy, signKeyring, signRoot } from '@serfbort/testkit';
import type { AgentProcess, TestHost } from '@serfbort/testkit/agent';
import { createTestHost, spawnAgent } from '@serfbort/testkit/agent';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostileHub } from '../hostile/hostile-hub.js';
import { startHostileHub } from '../hostile/hostile-hub.js';
import { repoRoot } from '../web/harness/processes.js';

/*
 * The upgrade order the README asks for, and why: an agent built before attestations
 * (d5f9001) refuses a keyring that lists builders, and keeps the keyring it had, which
 * requires nothing. Until that keyring expires it deploys without attestations, so agents
 * are upgraded before such a keyring is published.
 */
const OLD_AGENT = join(repoRoot, 'test/fixtures/agent-d5f9001.mjs');
const rootKey = key(301);
const alice = key(310);
const builder = key(311);

describe('an agent older than attestations', () => {
  let hub: HostileHub;
  let host: TestHost;
  let agent: AgentProcess;
  const root = signRoot({ keys: [rootKey] }, [rootKey]);
  const operators = [{ name: 'alice', key: alice }];
  const deploy = (version: string) =>
    signDeploy({ app: 'web', version, target: { hosts: ['old-1'] } }, [alice]).envelope;
  const idOf = (e: Envelope) =>
    (JSON.parse(utf8Decode(fromBase64(e.payload))) as { id: string }).id;
  async function answer(envelope: Envelope) {
    const from = hub.receipts.length;
    hub.relay('old-1', envelope);
    return (await hub.receiptFor(idOf(envelope), from)).receipt;
  }

  beforeAll(async () => {
    const v1 = signKeyring({ version: 1, operators }, [rootKey]);
    hub = await startHostileHub({ roots: [root.envelope], keyring: v1.envelope });
    host = createTestHost({
      name: 'old-1',
      hub: hub.url,
      labels: ['role=web'],
      apps: ['web'],
      root: root.envelope,
    });
    agent = spawnAgent({ configPath: host.configPath, entry: OLD_AGENT });
    await hub.connected('old-1');
  });
  afterAll(async () => {
    await agent?.stop('SIGKILL');
    await hub?.close();
  });

  it('refuses a keyring that lists builders as malformed, and keeps the one it had', async () => {
    const v2 = signKeyring(
      {
        version: 2,
        operators,
        policies: { web: { threshold: 1, requireAttestation: true } },
        builders: [{ name: 'ci', key: builder }],
      },
      [rootKey],
    );
    hub.pushTrust({ roots: [root.envelope], keyring: v2.envelope }, 'old-1');
    await agent.waitForLog(
      (l) => l.event === 'trust.refused' && l.code === 'TRUST_MALFORMED',
      10_000,
      'trust.refused',
    );
    // so it still deploys without an attestation: the reason to upgrade agents first
    expect(await answer(deploy('v2'))).toMatchObject({ status: 'succeeded', versionAfter: 'v2' });
  });
});
