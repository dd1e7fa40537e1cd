import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HostView } from '@serfbort/core';
import type { AgentProcess, SmallDisk, TestHost } from '@serfbort/testkit/agent';
import {
  createTestHost,
  eventuallyAsync,
  mountSmallDisk,
  spawnAgent,
} from '@serfbort/testkit/agent';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectOk, Fleet, trustedFleet } from '../cli/fleet.js';

/*
 * What an operator sees when an approved agent cannot deploy for reasons only its own
 * operator can fix: a full state disk (a 1 MiB tmpfs, needs root) and expired trust.
 * Real hub, real agent process, real CLI; /metrics counts both.
 */

const disk: SmallDisk | undefined = mountSmallDisk();
let fleet: Fleet;
let host: TestHost;
let agent: AgentProcess | undefined;

interface DeployJson {
  hosts: { host: string; status: string; reason: string | null; verified: boolean }[];
}

const listJson = async (): Promise<HostView[]> =>
  (expectOk(await fleet.cli('alice', ['list', '--json']), 'list').json() as { hosts: HostView[] })
    .hosts;
const tight = async () => (await listJson()).find((h) => h.name === 'tight');
const gauge = async (problem: string): Promise<number> => {
  const text = await (await fetch(`${fleet.hubUrl}/metrics`)).text();
  const m = new RegExp(
    `^serfbort_hub_agents_with_problem\\{problem="${problem}"\\} (\\d+)`,
    'm',
  ).exec(text);
  return m ? Number(m[1]) : Number.NaN;
};
const deploy = (version: string) =>
  fleet.cli('alice', ['deploy', 'web', version, '--hosts', 'tight', '--yes', '--json']);

beforeAll(async () => {
  if (!disk) return;
  fleet = new Fleet();
  await trustedFleet(fleet, []);
  host = createTestHost({
    name: 'tight',
    hub: fleet.hubUrl,
    labels: ['role=web'],
    root: JSON.parse(readFileSync(join(fleet.dir, 'root.json'), 'utf8')),
    extra: { stateDir: join(disk.path, 'state') },
  });
  agent = spawnAgent({ configPath: host.configPath });
  const pending = await agent.waitForEvent('agent.pending');
  const approve = ['agents', 'approve', 'tight', '--fingerprint', String(pending.fingerprint)];
  expectOk(await fleet.cli('alice', [...approve, '--yes']), 'approve');
  await agent.waitForEvent('agent.approved');
}, 120_000);

afterAll(async () => {
  await agent?.stop('SIGKILL');
  await fleet?.close();
  disk?.unmount();
});

describe.skipIf(!disk)('a full state disk (tmpfs), through the real CLI', () => {
  it('a disk that fills up shows as disk full in list before any deploy fails, and /metrics counts it', async () => {
    expectOk(await deploy('v-room'), 'deploy with room');
    disk!.fill();
    // the agent's presence-timer probe finds it (5 s here), no deploy needed
    await eventuallyAsync(async () => (await tight())?.problems !== undefined, 15_000);
    expect((await tight())?.problems).toEqual([
      expect.objectContaining({ code: 'DISK_FULL', detail: 'disk full (ENOSPC)' }),
    ]);
    const table = expectOk(await fleet.cli('alice', ['list']), 'list').stdout;
    expect(table).toMatch(/tight\s+│?\s*online[\s\S]*disk full/);
    expect(await gauge('disk_full')).toBe(1);
  });

  it('deploy names the host failed with DISK_FULL and exits 1; nothing ran', async () => {
    const run = await deploy('v-full');
    expect(run.code, run.stderr).toBe(1);
    const [answer] = run.json<DeployJson>().hosts;
    expect(answer).toMatchObject({
      host: 'tight',
      status: 'failed',
      reason: 'DISK_FULL',
      verified: true,
    });
    expect(host.ranLog('web').some((l) => l.includes('v-full'))).toBe(false);
  });

  it('with room again the problem clears, the gauge drops, and a deploy succeeds', async () => {
    disk!.free();
    await eventuallyAsync(async () => (await tight())?.problems === undefined, 20_000);
    expect(await gauge('disk_full')).toBe(0);
    expectOk(await deploy('v-after'), 'deploy after room');
    expect(host.currentVersion('web')).toBe('v-after');
  });
});

describe.skipIf(!disk)('expired trust, through the real CLI', () => {
  const aliceKeyring = (expires: string) => [
    'trust',
    'add-operator',
    'alice.key.json',
    '--name',
    'alice',
    '--replace',
    '--root-key',
    'r1.key.json',
    '--expires',
    expires,
  ];

  it('an agent whose keyring expired shows trust expired in list and /metrics', async () => {
    expectOk(await fleet.cli('r1', aliceKeyring('8s')), 'a keyring living 8 s');
    expectOk(await fleet.cli('r1', ['trust', 'publish', 'keyring.json']), 'publish');
    await agent!.waitForEvent('trust.updated');
    await eventuallyAsync(
      async () => (await tight())?.problems?.some((p) => p.code === 'TRUST_EXPIRED') === true,
      30_000,
    );
    const table = expectOk(await fleet.cli('alice', ['list']), 'list').stdout;
    expect(table).toMatch(/tight\s+│?\s*online[\s\S]*trust expired/);
    expect(await gauge('trust_expired')).toBe(1);
  });

  it('a fresh keyring clears it', async () => {
    expectOk(await fleet.cli('r1', aliceKeyring('30d')), 'a fresh keyring');
    expectOk(await fleet.cli('r1', ['trust', 'publish', 'keyring.json']), 'publish');
    await eventuallyAsync(async () => (await tight())?.problems === undefined, 20_000);
    expect(await gauge('trust_expired')).toBe(0);
  });
});
