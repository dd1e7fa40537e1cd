import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { PresenceReport } from '@serfbort/core';
import { presenceReport } from '@serfbort/core';
import { signDeploy, standardTrust } from '@serfbort/testkit';
import type { AgentProcess, SmallDisk, TestHost } from '@serfbort/testkit/agent';
import {
  AGENT_BUNDLE,
  createTestHost,
  mountSmallDisk,
  removeTestHosts,
  spawnAgent,
  startRelayHub,
} from '@serfbort/testkit/agent';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/*
 * A real agent process whose state directory sits on a 1 MiB tmpfs (needs root). When the
 * disk is full it cannot record a request's id, so it must not run it (replay rule), and
 * the operator must hear why: a signed failed/DISK_FULL receipt, held in memory.
 */

const run = promisify(execFile);
const trust = standardTrust();
const olderPresence = presenceReport.omit({ problems: true }).strict();
const disk: SmallDisk | undefined = mountSmallDisk();
let relay: Awaited<ReturnType<typeof startRelayHub>>;
let host: TestHost;
let agent: AgentProcess;
let storing = true;

beforeAll(async () => {
  if (!disk) return;
  // a hub from before the `problems` field: its strict heartbeat schema refuses it
  relay = await startRelayHub(
    { roots: [trust.root.envelope], keyring: trust.keyring.envelope },
    {
      presence: (report) => olderPresence.safeParse(report).success,
      storeReceipts: () => storing,
    },
  );
  host = createTestHost({
    name: 'full-1',
    hub: relay.url,
    root: trust.root.envelope,
    extra: { stateDir: join(disk.path, 'state') },
  });
  agent = spawnAgent({ configPath: host.configPath });
  await relay.connected('full-1');
});

afterAll(async () => {
  await agent?.stop('SIGKILL');
  await relay?.close();
  disk?.unmount();
  removeTestHosts();
});

const deploy = (version: string) =>
  signDeploy({ app: 'web', version, target: { hosts: ['full-1'] } }, [trust.operatorKey]);

describe.skipIf(!disk)('an agent whose state disk is full (tmpfs)', () => {
  // signed after v-room: an older issued-at would be refused as STALE (rule 6) first
  let full: ReturnType<typeof deploy>;

  it('answers failed/DISK_FULL, naming the errno, and runs nothing', async () => {
    const first = deploy('v-room');
    await relay.send('full-1', first.envelope);
    expect((await relay.receiptFor(first.request.id, 20_000)).receipt.status).toBe('succeeded');
    disk!.fill();
    full = deploy('v-full');
    await relay.send('full-1', full.envelope);
    const { receipt } = await relay.receiptFor(full.request.id, 20_000);
    expect(receipt).toMatchObject({ status: 'failed', reason: 'DISK_FULL', exitCode: null });
    expect(receipt.detail).toMatch(/ENOSPC/);
    expect(host.ranLog('web').some((l) => l.includes('v-full'))).toBe(false);
    await agent.waitForEvent('state.unwritable', { code: 'DISK_FULL', errno: 'ENOSPC' });
    expect(agent.child.exitCode).toBeNull();
    // and on the host itself
    const status = await run(process.execPath, [
      AGENT_BUNDLE,
      'status',
      '--config',
      host.configPath,
    ]);
    expect(status.stdout).toContain(
      'state: NOT WRITABLE (ENOSPC): deploys are answered failed/DISK_FULL until there is room',
    );
  });

  it('answers a redelivery from the id it holds in memory, and still does not run it', async () => {
    const answered = () => relay.receipts.filter((r) => r.receipt.requestId === full.request.id);
    // the agent has heard the relay's ack: from here only the seen id can answer
    await agent.waitForEvent('receipt.acked', { requestId: full.request.id });
    const before = answered().length;
    await relay.send('full-1', full.envelope);
    const deadline = Date.now() + 10_000;
    while (answered().length === before && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    expect(answered().length, JSON.stringify(agent.logs.slice(-8))).toBeGreaterThan(before);
    // the relay acknowledged the failed receipt, so the id alone answers: seen, not run again
    expect(answered().at(-1)?.receipt).toMatchObject({ status: 'rejected', reason: 'REPLAYED' });
    expect(host.ranLog('web').some((l) => l.includes('v-full'))).toBe(false);
  });

  it('keeps a refusal the hub could not store in memory and resends it after a reconnect', async () => {
    storing = false;
    const away = deploy('v-away');
    await relay.send('full-1', away.envelope);
    const deadline = Date.now() + 10_000;
    while (relay.deferred.length === 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    expect(relay.deferred.length).toBeGreaterThan(0);
    // held in memory: the full disk has no room for it
    expect(existsSync(join(disk!.path, 'state', 'outbox', `${away.request.id}.json`))).toBe(false);
    storing = true;
    relay.disconnect('full-1');
    await relay.connected('full-1');
    const { receipt } = await relay.receiptFor(away.request.id, 20_000);
    expect(receipt).toMatchObject({ status: 'failed', reason: 'DISK_FULL' });
    expect(host.ranLog('web').some((l) => l.includes('v-away'))).toBe(false);
  });

  it('tells an older hub its heartbeat without the problems it cannot read', async () => {
    const deadline = Date.now() + 15_000;
    const refusedThenPlain = () => {
      const i = relay.presences.findIndex((p) => !p.accepted);
      return i >= 0 && relay.presences.slice(i + 1).some((p) => p.accepted);
    };
    while (!refusedThenPlain() && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    const refused = relay.presences.find((p) => !p.accepted)?.report as PresenceReport;
    expect(refused.problems).toEqual([
      expect.objectContaining({ code: 'DISK_FULL', detail: 'disk full (ENOSPC)' }),
    ]);
    const plain = relay.presences.filter((p) => p.accepted).at(-1)?.report as PresenceReport;
    expect(plain.problems).toBeUndefined();
    expect(plain.apps.web?.version).toBe('v-room');
  });

  it('once there is room: the probe clears it, the refused id is on disk, and deploys run', async () => {
    disk!.free();
    await agent.waitForEvent('state.writable', {}, 15_000);
    // the probe logs that there is room, then writes what memory held: look until it has
    const seenOnDisk = () =>
      Object.keys(
        JSON.parse(readFileSync(join(disk!.path, 'state', 'replay.json'), 'utf8')).seen,
      ).includes(full.request.id);
    const until = Date.now() + 10_000;
    while (!seenOnDisk() && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    expect(seenOnDisk()).toBe(true);
    const after = deploy('v-after');
    await relay.send('full-1', after.envelope);
    expect((await relay.receiptFor(after.request.id, 20_000)).receipt.status).toBe('succeeded');
    expect(host.currentVersion('web')).toBe('v-after');
    expect(host.ranLog('web').some((l) => l.includes('v-full'))).toBe(false);
  });
});
