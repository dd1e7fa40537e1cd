import { join } from 'node:path';
import { fromBase64, utf8Decode } from '@serfbort/core';
import { key, makeTarball, refOf, signDeploy, signKeyring, signRoot } from '@serfbort/testkit';
import type { AgentProcess, TestHost } from '@serfbort/testkit/agent';
import { createTestHost, spawnAgent } from '@serfbort/testkit/agent';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostileHub } from '../hostile/hostile-hub.js';
import { startHostileHub } from '../hostile/hostile-hub.js';
import { repoRoot } from '../web/harness/processes.js';

/*
 * An agent older than artifacts (the recorded bundle of d5f9001) must refuse a request that
 * names one rather than run its deploy script for the version alone: the field is inside a
 * strict schema, so the signed request is MALFORMED to it. No payload version bump is needed
 * for that safety; see "Releases and artifacts" in the README.
 */
const OLD_AGENT = join(repoRoot, 'test/fixtures/agent-d5f9001.mjs');
const root1 = key(301);
const alice = key(310);
const rootV1 = signRoot({ keys: [root1], version: 1 }, [root1]);
const keyring = signKeyring({ version: 1, operators: [{ name: 'alice', key: alice }] }, [root1]);

describe('an agent that predates artifacts', () => {
  let hub: HostileHub;
  let host: TestHost;
  let agent: AgentProcess;

  beforeAll(async () => {
    hub = await startHostileHub({ roots: [rootV1.envelope], keyring: keyring.envelope });
    host = createTestHost({
      name: 'olda',
      hub: hub.url,
      labels: ['role=web'],
      apps: ['web'],
      root: rootV1.envelope,
    });
    agent = spawnAgent({ configPath: host.configPath, entry: OLD_AGENT });
    await hub.connected('olda');
  });
  afterAll(async () => {
    await agent?.stop('SIGKILL');
    await hub?.close();
  });

  it('refuses a request naming an artifact (signed MALFORMED), and its deploy script never runs', async () => {
    const artifact = refOf(makeTarball([{ name: 'VERSION', body: 'v2\n' }]));
    const { envelope } = signDeploy(
      { app: 'web', version: 'v2', target: { hosts: ['olda'] }, artifact },
      [alice],
    );
    const id = (JSON.parse(utf8Decode(fromBase64(envelope.payload))) as { id: string }).id;
    hub.relay('olda', envelope);
    const { receipt } = await hub.receiptFor(id);
    expect(receipt).toMatchObject({ status: 'rejected', reason: 'MALFORMED', host: 'olda' });
    expect(host.ranLog('web')).toEqual([]);
  });

  it('still deploys a request without one, as before', async () => {
    const { envelope, request } = signDeploy(
      { app: 'web', version: 'v1', target: { hosts: ['olda'] } },
      [alice],
    );
    hub.relay('olda', envelope);
    const { receipt } = await hub.receiptFor(request.id);
    expect(receipt).toMatchObject({ status: 'succeeded', versionAfter: 'v1' });
  });
});
