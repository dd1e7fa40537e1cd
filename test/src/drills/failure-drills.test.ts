import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditVerdict, DeploymentView } from '@serfbort/core';
import { FINAL_HOST_STATES } from '@serfbort/core';
import { signDeploy, standardTrust } from '@serfbort/testkit';
import type { AgentProcess, TestHost } from '@serfbort/testkit/agent';
import {
  createTestHost,
  eventually,
  eventuallyAsync,
  OperatorClient,
  restartAgent,
  spawnAgent,
  startApprovedAgent,
} from '@serfbort/testkit/agent';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshHubDataDir, HubProcess } from '../support/hub-process.js';
import { TcpProxy } from '../support/tcp-proxy.js';

const trust = standardTrust();

async function auditOf(op: OperatorClient): Promise<AuditVerdict> {
  const r = await op.socket.timeout(10_000).emitWithAck('audit:verify');
  if (!r.ok) throw new Error(r.error.message);
  return r.data;
}

async function deployment(op: OperatorClient, requestId: string): Promise<DeploymentView> {
  const r = await op.socket.timeout(10_000).emitWithAck('deploy:watch', { requestId });
  if (!r.ok) throw new Error(r.error.message);
  return r.data;
}

describe('failure drills (real hub process, real agent processes)', () => {
  let hub: HubProcess;
  let op: OperatorClient;
  const hosts = new Map<string, TestHost>();
  const agents = new Map<string, AgentProcess>();

  async function operator(): Promise<OperatorClient> {
    op?.socket.close();
    op = await (await OperatorClient.connect(hub.url, trust.operatorKey)).login();
    return op;
  }

  async function addAgent(name: string, hubUrl = hub.url): Promise<void> {
    await addAgentWith(name, {}, hubUrl);
  }
  async function addAgentWith(
    name: string,
    extra: Record<string, unknown>,
    hubUrl = hub.url,
  ): Promise<void> {
    const host = createTestHost({
      name,
      hub: hubUrl,
      labels: ['role=web'],
      apps: ['web'],
      root: trust.root.envelope,
      extra,
    });
    hosts.set(name, host);
    agents.set(name, await startApprovedAgent(op, host, name));
  }

  beforeAll(async () => {
    hub = await HubProcess.start(await freshHubDataDir());
    const first = await OperatorClient.connect(hub.url, trust.operatorKey);
    await first.publishTrust({ root: trust.root.envelope, keyring: trust.keyring.envelope });
    first.socket.close();
    await operator();
    for (const name of ['d1', 'd2', 'd3']) await addAgent(name);
  });
  afterAll(async () => {
    op?.socket.close();
    for (const a of agents.values()) await a.stop('SIGKILL');
    await hub?.kill();
  });

  it('hub SIGKILLed mid-deploy and restarted: every receipt arrives, no deployment or audit row lost', async () => {
    const { envelope, request } = signDeploy(
      { app: 'web', version: 'hold-1', target: { hosts: ['d1', 'd2', 'd3'] } },
      [trust.operatorKey],
    );
    await op.submit(envelope);
    await eventually(
      () => ['d1', 'd2', 'd3'].every((h) => hosts.get(h)!.started('web', 'hold-1')),
      20_000,
    );
    const before = await auditOf(op);
    await hub.kill('SIGKILL');
    for (const h of ['d1', 'd2', 'd3']) hosts.get(h)!.release('web');
    await eventually(
      () => ['d1', 'd2', 'd3'].every((h) => hosts.get(h)!.currentVersion('web') === 'hold-1'),
      20_000,
    );
    await hub.respawn();
    await operator();
    for (const h of ['d1', 'd2', 'd3']) {
      const p = await op.waitForHost(request.id, h, undefined, 30_000);
      expect(p.state).toBe('succeeded');
      expect(p.receipt).toBeDefined();
    }
    const after = await auditOf(op);
    expect(after.ok).toBe(true);
    expect(after.rows).toBeGreaterThanOrEqual(before.rows + 3);
    expect((await deployment(op, request.id)).hosts).toHaveLength(3);
  });

  it('an agent offline during a deploy gets it when it returns before expiry', async () => {
    await agents.get('d3')!.stop('SIGTERM');
    await eventuallyAsync(async () => (await op.host('d3'))?.state === 'left', 10_000);
    const { envelope, request } = signDeploy(
      { app: 'web', version: 'v-late', target: { hosts: ['d2', 'd3'] } },
      [trust.operatorKey],
    );
    const view = await op.submit(envelope);
    expect(view.hosts.find((h) => h.host === 'd3')?.state).toBe('pending');
    expect((await op.waitForHost(request.id, 'd2')).state).toBe('succeeded');
    expect(hosts.get('d3')!.currentVersion('web')).toBe('hold-1');
    agents.set('d3', await restartAgent(hosts.get('d3')!));
    expect((await op.waitForHost(request.id, 'd3', undefined, 30_000)).state).toBe('succeeded');
    expect(hosts.get('d3')!.currentVersion('web')).toBe('v-late');
  });

  it('an agent that returns after expiry does not deploy, and shows as drifted', async () => {
    await agents.get('d3')!.stop('SIGTERM');
    await eventuallyAsync(async () => (await op.host('d3'))?.state === 'left', 10_000);
    const now = Date.now();
    const { envelope, request } = signDeploy(
      {
        app: 'web',
        version: 'v-expired',
        target: { hosts: ['d3'] },
        issuedAt: now,
        expiresAt: now + 3000,
      },
      [trust.operatorKey],
      now,
    );
    await op.submit(envelope);
    await new Promise((r) => setTimeout(r, 3500));
    agents.set('d3', await restartAgent(hosts.get('d3')!));
    const p = await op.waitForHost(
      request.id,
      'd3',
      (x) => FINAL_HOST_STATES.includes(x.state),
      20_000,
    );
    expect(p.state).toBe('expired');
    expect(
      hosts
        .get('d3')!
        .ranLog('web')
        .some((l) => l.includes('v-expired')),
    ).toBe(false);
    const view = await op.host('d3');
    // drift: the last deploy aimed at this host did not land, and its version is not the one asked for
    expect(view?.lastDeploys.web?.state).toBe('expired');
    expect(view?.apps.web?.version).not.toBe('v-expired');
  });

  it('the network cut between agent and hub: the agent reconnects and finishes', async () => {
    const proxy = new TcpProxy(hub.port);
    await proxy.start();
    await addAgent('n1', proxy.url);
    const { envelope, request } = signDeploy(
      { app: 'web', version: 'hold-net', target: { hosts: ['n1'] } },
      [trust.operatorKey],
    );
    await op.submit(envelope);
    await eventually(() => hosts.get('n1')!.started('web', 'hold-net'), 20_000);
    await proxy.cut();
    hosts.get('n1')!.release('web');
    await eventually(() => hosts.get('n1')!.currentVersion('web') === 'hold-net', 20_000);
    await new Promise((r) => setTimeout(r, 500));
    expect((await deployment(op, request.id)).hosts[0]?.state).not.toBe('succeeded');
    await proxy.start(); // same port again
    const p = await op.waitForHost(request.id, 'n1', undefined, 30_000);
    expect(p.state).toBe('succeeded');
    await proxy.cut();
  });

  it('a state directory that is not writable: a clear error at start, exit 2-style, no stack trace', async () => {
    const host = hosts.get('d2')!;
    const agent = spawnAgent({
      configPath: host.configPath,
      env: { ...process.env, SERFBORT_STATE_DIR: join(host.configPath, 'not-a-dir') },
    });
    const exit = await agent.exited;
    expect(exit.code).not.toBe(0);
    const said = agent.stderr.join('') + JSON.stringify(agent.logs);
    expect(said).toMatch(/state/i);
    expect(agent.stderr.join('')).not.toMatch(/\n\s+at /);
  });

  it('a full disk under the state directory: failed/DISK_FULL, shown as disk full, no torn state file, and deploys resume once there is room', async () => {
    const mountPoint = mkdtempSync(join(tmpdir(), 'serfbort-fulldisk-'));
    const mounted =
      spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mountPoint]).status === 0;
    if (!mounted) {
      console.warn('SKIPPED: full-disk drill needs root to mount a small tmpfs');
      return;
    }
    try {
      await addAgentWith('f1', { stateDir: join(mountPoint, 'state') });
      const host = hosts.get('f1')!;
      const ok1 = signDeploy({ app: 'web', version: 'v-room', target: { hosts: ['f1'] } }, [
        trust.operatorKey,
      ]);
      await op.submit(ok1.envelope);
      expect((await op.waitForHost(ok1.request.id, 'f1')).state).toBe('succeeded');
      // fill the disk to the last byte
      const filler = join(mountPoint, 'filler');
      try {
        for (let i = 0; i < 4096; i++) appendFileSync(filler, Buffer.alloc(4096));
      } catch {
        // ENOSPC: the disk is full
      }
      const full = signDeploy({ app: 'web', version: 'v-full', target: { hosts: ['f1'] } }, [
        trust.operatorKey,
      ]);
      await op.submit(full.envelope);
      await agents
        .get('f1')!
        .waitForLog(
          (l) => /ENOSPC|no space|state/i.test(JSON.stringify(l)) && l.level >= 50,
          15_000,
          'a state write error',
        );
      // the operator hears it: a signed failed receipt with the storage code, not "delivered" forever
      const refused = await op.waitForHost(
        full.request.id,
        'f1',
        (x) => FINAL_HOST_STATES.includes(x.state),
        20_000,
      );
      expect(refused).toMatchObject({ state: 'failed', reason: 'DISK_FULL' });
      expect(refused.receipt).toBeDefined();
      await eventuallyAsync(
        async () => (await op.host('f1'))?.problems?.[0]?.code === 'DISK_FULL',
        15_000,
      );
      for (const f of readdirSync(join(mountPoint, 'state'), {
        recursive: true,
        encoding: 'utf8',
      })) {
        if (f.endsWith('.json'))
          expect(
            () => JSON.parse(readFileSync(join(mountPoint, 'state', f), 'utf8')),
            f,
          ).not.toThrow();
      }
      expect(host.ranLog('web').some((l) => l.includes('v-full'))).toBe(false);
      expect(agents.get('f1')!.child.exitCode).toBeNull();
      rmSync(filler);
      // the agent re-probes on its presence timer (5 s here) and says the disk has room
      await eventuallyAsync(async () => (await op.host('f1'))?.problems === undefined, 20_000);
      const after = signDeploy({ app: 'web', version: 'v-after', target: { hosts: ['f1'] } }, [
        trust.operatorKey,
      ]);
      await op.submit(after.envelope);
      expect((await op.waitForHost(after.request.id, 'f1', undefined, 30_000)).state).toBe(
        'succeeded',
      );
    } finally {
      await agents.get('f1')?.stop('SIGKILL');
      agents.delete('f1');
      spawnSync('umount', ['-l', mountPoint]);
    }
  });
});
