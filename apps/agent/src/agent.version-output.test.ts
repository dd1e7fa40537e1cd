import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { signDeploy, standardTrust } from '@serfbort/testkit';
import type { AgentProcess, TestHost } from '@serfbort/testkit/agent';
import {
  createTestHost,
  eventually,
  isAlive,
  removeTestHosts,
  spawnAgent,
  startRelayHub,
} from '@serfbort/testkit/agent';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/*
 * What a version-report command prints ends up in signed receipts and on operators'
 * terminals: a real agent process, a relay hub, real commands.
 */
const trust = standardTrust();
const alice = trust.operatorKey;
let relay: Awaited<ReturnType<typeof startRelayHub>>;
let host: TestHost;
let agent: AgentProcess;

beforeAll(async () => {
  relay = await startRelayHub({ roots: [trust.root.envelope], keyring: trust.keyring.envelope });
  host = createTestHost({
    name: 'version-1',
    hub: relay.url,
    apps: ['colour', 'noversion'],
    appConfig: {
      // the right version, wrapped in colour codes, a NUL and a bell
      colour: {
        version: ['sh', '-c', 'printf "\\033[31m%s\\033[0m\\000\\007\\n" "$(cat VERSION)"'],
      },
      noversion: { version: ['sh', '-c', 'test -f VERSION && exit 3; echo none'] },
    },
    labels: ['role=web'],
    root: trust.root.envelope,
  });
  agent = spawnAgent({ configPath: host.configPath });
  await relay.connected('version-1');
});

afterAll(async () => {
  await agent?.stop();
  await relay?.close();
  removeTestHosts();
});

async function deploy(app: string, version: string) {
  const { envelope, request } = signDeploy({ app, version, target: { hosts: ['version-1'] } }, [
    alice,
  ]);
  await relay.send('version-1', envelope);
  return (await relay.receiptFor(request.id, 20_000)).receipt;
}

describe('a deploy and its version report', () => {
  it('signs the version as clean text: no escape or control character', async () => {
    const receipt = await deploy('colour', 'v2.0.1');
    expect(receipt).toMatchObject({ status: 'succeeded', versionAfter: 'v2.0.1' });
  });

  it('a deploy whose version command then fails is failed with VERSION_UNKNOWN', async () => {
    const receipt = await deploy('noversion', 'v3');
    expect(receipt).toMatchObject({
      status: 'failed',
      reason: 'VERSION_UNKNOWN',
      versionAfter: null,
    });
    expect(receipt.detail).toMatch(/version report: exit 3/);
    // the deploy command itself ran: the state is unknown, not untouched
    expect(host.currentVersion('noversion')).toBe('v3');
  });
});

describe('when the agent stops while a version command hangs', () => {
  it('leaves no process of its own behind', async () => {
    const hanging = createTestHost({
      name: 'version-2',
      hub: relay.url,
      apps: ['hang'],
      appConfig: {
        hang: {
          version: ['sh', '-c', 'echo $$ > hang.pid; exec sleep 300'],
          versionTimeout: '10m',
        },
      },
      root: trust.root.envelope,
    });
    const pidFile = join(hanging.appDir('hang'), 'hang.pid');
    const stuck = spawnAgent({ configPath: hanging.configPath });
    await relay.connected('version-2');
    await eventually(() => existsSync(pidFile), 10_000, 'the version command to start');
    const pid = Number(readFileSync(pidFile, 'utf8'));
    expect(isAlive(pid)).toBe(true);
    await stuck.stop('SIGTERM');
    await eventually(() => !isAlive(pid), 3000, 'the hanging version command to be gone');
  });
});
