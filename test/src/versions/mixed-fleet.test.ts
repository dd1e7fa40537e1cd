import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Envelope, Speaks } from '@serfbort/core';
import {
  AGENT_NAMESPACE,
  fingerprintOf,
  fromBase64,
  payloadTypeOf,
  RECEIPT_V2_TYPE,
  SPEAKS_THIS_BUILD,
  signBytes,
  signPayload,
  toBase64,
} from '@serfbort/core';
import { nodeSigner } from '@serfbort/node';
import { key, signDeploy, standardTrust } from '@serfbort/testkit';
import type { AgentProcess, TestHost } from '@serfbort/testkit/agent';
import { createTestHost, spawnAgent } from '@serfbort/testkit/agent';
import type { Socket } from 'socket.io-client';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostileHub } from '../hostile/hostile-hub.js';
import { startHostileHub } from '../hostile/hostile-hub.js';
import { RolloutFleet } from '../rollout/rollout-fleet.js';
import { repoRoot } from '../web/harness/processes.js';

/*
 * A fleet upgraded host by host: the agent bundle of d5f9001 (the commit before payload
 * versions, recorded by test/fixtures/record-agent.mjs) beside today's agent, under
 * today's hub and CLI. Then today's agent alone, against version-1 bytes and a version
 * from the future.
 */
const OLD_AGENT = join(repoRoot, 'test/fixtures/agent-d5f9001.mjs');

interface HostJson {
  host: string;
  status: string;
  verified: boolean;
  hubState?: string;
}
const hostsOf = (stdout: string) => (JSON.parse(stdout) as { hosts: HostJson[] }).hosts;
const byHost = (rows: HostJson[]) => Object.fromEntries(rows.map((r) => [r.host, r]));

describe('the agent of d5f9001 beside a new one, under the new hub and CLI', () => {
  const fleet = new RolloutFleet();

  beforeAll(async () => {
    expect(existsSync(OLD_AGENT), `${OLD_AGENT} is missing`).toBe(true);
    await fleet.start(
      ['old-1', 'new-1'],
      () => ['role=web'],
      (name) => (name.startsWith('old') ? OLD_AGENT : undefined),
    );
  });
  afterAll(() => fleet.close());

  it('is really the old build: it predates payload versions', () => {
    const bundle = readFileSync(OLD_AGENT, 'utf8');
    expect(bundle).toContain('WRONG_PAYLOAD_TYPE');
    expect(bundle).not.toContain('UNSUPPORTED_VERSION');
  });

  it('connects and is approved with its version-1 hello', () => {
    const old = fleet.agents.get('old-1')!;
    expect(old.logs.some((l) => l.event === 'agent.approved')).toBe(true);
    expect(old.logs.some((l) => l.event === 'hub.auth-failed')).toBe(false);
  });

  it('deploys to both, and the CLI verifies both signed receipts', async () => {
    const r = await fleet.cli(['deploy', 'web', 'v2', '--hosts', 'old-1,new-1', '--yes', '--json']);
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    const hosts = byHost(hostsOf(r.stdout));
    for (const name of ['old-1', 'new-1'])
      expect(hosts[name]).toMatchObject({ status: 'succeeded', verified: true });
    expect(fleet.started('old-1')).toEqual(['v2']);
    expect(fleet.started('new-1')).toEqual(['v2']);
  });

  it("shows the old host's history as not proven (v1 receipts), the new one's as chained", async () => {
    const old = await fleet.cli(['history', 'old-1', '--json']);
    expect(old.code, old.stderr).toBe(0);
    expect(JSON.parse(old.stdout)).toMatchObject({ status: 'unproven', problems: [] });
    const text = await fleet.cli(['history', 'old-1']);
    expect(text.stdout).toContain('chain not proven');
    const current = await fleet.cli(['history', 'new-1', '--json']);
    expect(current.code, current.stderr).toBe(0);
    const json = JSON.parse(current.stdout) as { status: string; receipts: { seq: number }[] };
    expect(json.status).toBe('intact');
    expect(json.receipts.map((r) => r.seq)).toEqual([1]);
  });

  it('answers checks from both, verified', async () => {
    const r = await fleet.cli(['check', 'web', 'v2', '--hosts', 'old-1,new-1', '--json']);
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    const hosts = byHost(hostsOf(r.stdout));
    for (const name of ['old-1', 'new-1'])
      expect(hosts[name]).toMatchObject({ status: 'ok', verified: true });
    // the old agent answers the hub's unsigned query: shown, marked not proven fresh
    expect(hosts['old-1']).toMatchObject({ fresh: false });
    expect(hosts['new-1']).toMatchObject({ fresh: true });
    expect(JSON.parse(r.stdout)).toMatchObject({ freshnessUnproven: ['old-1'] });
    const human = await fleet.cli(['check', 'web', 'v2', '--hosts', 'old-1,new-1']);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/freshness not proven.*: old-1/);
  });

  it('refuses as before, with a signed receipt the CLI verifies', async () => {
    const r = await fleet.cli([
      'deploy',
      'api',
      'v1',
      '--hosts',
      'old-1',
      '--allow-unknown',
      '--yes',
      '--json',
    ]);
    expect(hostsOf(r.stdout)).toMatchObject([
      { host: 'old-1', status: 'rejected', verified: true, reason: 'APP_NOT_CONFIGURED' },
    ]);
  });

  describe('an agent that says it reads only a deploy version the CLI does not sign', () => {
    let fake: Socket;
    const received: Envelope[] = [];

    beforeAll(async () => {
      fake = await helloOnly(fleet.hub.url, 'newer-1', { ...SPEAKS_THIS_BUILD, deploy: [2] });
      fake.on('deploy:request', (envelope: Envelope, ack: (a: unknown) => void) => {
        received.push(envelope);
        ack({ received: true });
      });
      const approved = new Promise((resolve) => fake.once('auth:approved', resolve));
      const fingerprint = fingerprintOf(key(700).publicKey);
      const r = await fleet.cli([
        'agents',
        'approve',
        'newer-1',
        '--fingerprint',
        fingerprint,
        '--yes',
      ]);
      expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
      await approved;
    });
    afterAll(() => fake?.disconnect());

    it('is not sent the request, and the host ends at once instead of hanging', async () => {
      // the fake reports no apps: only --allow-unknown lets the CLI sign for it
      const r = await fleet.cli([
        ...['deploy', 'web', 'v4', '--hosts', 'newer-1', '--allow-unknown', '--yes', '--json'],
      ]);
      expect(hostsOf(r.stdout)).toMatchObject([
        { host: 'newer-1', status: 'expired', verified: false, hubState: 'expired' },
      ]);
      expect(received).toEqual([]);
    });
  });
});

/** A hand-made agent connection: a v2 hello announcing `speaks`, nothing else. */
async function helloOnly(url: string, name: string, speaks: Speaks): Promise<Socket> {
  const k = key(700);
  const socket = io(`${url}${AGENT_NAMESPACE}`, { transports: ['websocket'], forceNew: true });
  const challenge = (await socket.timeout(10_000).emitWithAck('auth:challenge')) as {
    data: { nonce: string; hubId: string };
  };
  const hello = {
    type: 'agent-auth',
    nonce: challenge.data.nonce,
    hubId: challenge.data.hubId,
    host: name,
    publicKey: toBase64(k.publicKey),
    labels: { role: 'web' },
    apps: ['web'],
    agentVersion: 'from-the-future',
    at: Date.now(),
    speaks,
  };
  const envelope = signPayload(payloadTypeOf('agentAuth', 2), hello, [nodeSigner(k)]);
  const ack = (await socket.timeout(10_000).emitWithAck('auth:hello', envelope)) as {
    ok: boolean;
    data?: { status: string };
  };
  expect(ack).toMatchObject({ ok: true, data: { status: 'pending' } });
  return socket;
}

describe('the new agent and the version of what it is sent', () => {
  const trust = standardTrust();
  const alice = trust.operatorKey;
  let hub: HostileHub;
  let host: TestHost;
  let agent: AgentProcess;
  const request = (version: string) =>
    signDeploy({ app: 'web', version, target: { hosts: ['vers-1'] } }, [alice]);

  beforeAll(async () => {
    hub = await startHostileHub({ roots: [trust.root.envelope], keyring: trust.keyring.envelope });
    host = createTestHost({
      name: 'vers-1',
      hub: hub.url,
      apps: ['web'],
      root: trust.root.envelope,
    });
    agent = spawnAgent({ configPath: host.configPath });
    await hub.connected('vers-1');
  });
  afterAll(async () => {
    await agent?.stop('SIGKILL');
    await hub?.close();
  });

  it('runs version-1 bytes, exactly as the old CLI signs them', async () => {
    const { envelope, request: r } = request('v5');
    expect(envelope.payloadType).toBe('application/vnd.serfbort.deploy+json');
    hub.relay('vers-1', envelope);
    const { receipt } = await hub.receiptFor(r.id);
    expect(receipt).toMatchObject({ status: 'succeeded', versionAfter: 'v5' });
  });

  it('answers a correctly signed request of version 99 with UNSUPPORTED_VERSION, and runs nothing', async () => {
    const { envelope, request: r } = request('v6');
    const v99 = signBytes(payloadTypeOf('deploy', 99), fromBase64(envelope.payload), [
      nodeSigner(alice),
    ]);
    const runs = host.ranLog('web').length;
    hub.relay('vers-1', v99);
    const seen = await hub.receiptFor(r.id);
    expect(seen.receipt).toMatchObject({
      status: 'rejected',
      reason: 'UNSUPPORTED_VERSION',
      host: 'vers-1',
    });
    // today's agent signs its receipts as links of its chain (receipt v2)
    expect(seen.envelope).toMatchObject({ payloadType: RECEIPT_V2_TYPE });
    expect(host.ranLog('web').length).toBe(runs);
  });
});
