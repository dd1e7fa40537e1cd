import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Envelope } from '@serfbort/core';
import { sha256Hex } from '@serfbort/core';
import { signDeploy, standardTrust } from '@serfbort/testkit';
import type { AgentProcess, OperatorClient, TestHost, TestHub } from '@serfbort/testkit/agent';
import {
  AGENT_BUNDLE,
  createTestHost,
  eventually,
  eventuallyAsync,
  OperatorClient as Operator,
  removeTestHosts,
  restartAgent,
  spawnAgent,
  startApprovedAgent,
  startTestHub,
} from '@serfbort/testkit/agent';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const trust = standardTrust();
const digestOf = (payload: string) => sha256Hex(new Uint8Array(Buffer.from(payload, 'base64')));
const pin = { rootFingerprint: digestOf(trust.root.envelope.payload) };
let hub: TestHub;
let operator: OperatorClient;
const agents: AgentProcess[] = [];

beforeAll(async () => {
  hub = await startTestHub();
  operator = await Operator.connect(hub.url, trust.operatorKey);
  await operator.publishTrust({ root: trust.root.envelope, keyring: trust.keyring.envelope });
  await operator.login();
});

afterAll(async () => {
  await Promise.all(agents.map((a) => a.stop('SIGKILL')));
  operator?.close();
  await hub?.dispose();
  removeTestHosts();
});

async function deploy(
  app: string,
  version: string,
  hosts: string[],
  extra: { expect?: string } = {},
) {
  const { envelope, request } = signDeploy({ app, version, target: { hosts }, ...extra }, [
    trust.operatorKey,
  ]);
  await operator.submit(envelope);
  return { envelope, request };
}

async function receiptOf(r: { envelope: Envelope; request: { id: string } }, host: string) {
  const progress = await operator.waitForHost(r.request.id, host);
  return operator.verifiedReceipt(
    progress,
    { id: r.request.id, digest: digestOf(r.envelope.payload) },
    trust.root.root,
    trust.keyring.envelope,
  );
}

/** `start V NANOS` / `end V NANOS` lines of ran.log → [start, end] per version. */
function spans(host: TestHost, app: string): Record<string, [bigint, bigint]> {
  const out: Record<string, [bigint, bigint]> = {};
  for (const line of host.ranLog(app)) {
    const [what, version, at] = line.split(' ') as [string, string, string];
    out[version] ??= [0n, 0n];
    out[version][what === 'start' ? 0 : 1] = BigInt(at);
  }
  return out;
}

describe('the installed bundle (one file, no node_modules beside it)', () => {
  let host: TestHost;

  it('deploys, and the receipt version-after is what the version command prints', async () => {
    const installDir = mkdtempSync(join(tmpdir(), 'serfbort-install-'));
    const installed = join(installDir, 'serfbort-agent.mjs');
    copyFileSync(AGENT_BUNDLE, installed);
    expect(readdirSync(installDir)).toEqual(['serfbort-agent.mjs']);
    expect(
      execFileSync(process.execPath, [installed, '--version'], {
        cwd: installDir,
        encoding: 'utf8',
      }).trim(),
    ).toMatch(/^\d+\.\d+\.\d+/);

    host = createTestHost({
      name: 'web-1',
      hub: hub.url,
      apps: ['web'],
      labels: ['role=web'],
      ...pin,
    });
    agents.push(await startApprovedAgent(operator, host, 'web-1', { entry: installed }));
    const r = await deploy('web', 'v1.2.3', ['web-1']);
    const receipt = await receiptOf(r, 'web-1');
    expect(receipt).toMatchObject({
      status: 'succeeded',
      exitCode: 0,
      versionBefore: null,
      host: 'web-1',
      app: 'web',
      version: 'v1.2.3',
    });
    const printed = execFileSync('cat', ['VERSION'], {
      cwd: host.appDir('web'),
      encoding: 'utf8',
    }).trim();
    expect(receipt.versionAfter).toBe(printed);
    expect(printed).toBe('v1.2.3');
  });

  it('status shows the trust versions, the last applied deploy and an empty outbox', async () => {
    const status = () =>
      execFileSync(process.execPath, [AGENT_BUNDLE, 'status', '--config', host.configPath], {
        encoding: 'utf8',
      });
    // the agent drops the receipt from its outbox when the hub's ack arrives, just after the operator sees it
    await eventuallyAsync(async () => status().includes('outbox: 0 receipt(s)'));
    const out = status();
    expect(out).toContain('trust: root v1');
    expect(out).toContain('keyring v1');
    expect(out).toMatch(/web {2}v1\.2\.3 {2}succeeded/);
    expect(out).toContain('outbox: 0 receipt(s)');
  });

  it('reports a failing script as failed with its exit code, and version before', async () => {
    const receipt = await receiptOf(await deploy('web', 'fail-1', ['web-1']), 'web-1');
    expect(receipt).toMatchObject({
      status: 'failed',
      reason: 'EXIT_NONZERO',
      exitCode: 7,
      versionBefore: 'v1.2.3',
      versionAfter: 'v1.2.3',
    });
    expect(receipt.detail).toContain('boom');
  });

  it('fails the deploy when the version-report disagrees with the signed expectation', async () => {
    const receipt = await receiptOf(
      await deploy('web', 'v2', ['web-1'], { expect: 'v2-expected-commit' }),
      'web-1',
    );
    expect(receipt).toMatchObject({
      status: 'failed',
      reason: 'EXPECT_MISMATCH',
      versionAfter: 'v2',
    });
  });

  it('answers a check with a signed version and reports versions in presence', async () => {
    const ack = await operator.socket
      .timeout(10_000)
      .emitWithAck('check:run', { app: 'web', target: { hosts: ['web-1'] } });
    expect(ack.ok).toBe(true);
    if (!ack.ok) return;
    expect(ack.data.unreachable).toEqual([]);
    expect(ack.data.answers).toHaveLength(1);
    const payload = JSON.parse(
      Buffer.from(ack.data.answers[0]!.payload, 'base64').toString('utf8'),
    );
    expect(payload).toMatchObject({
      type: 'check-answer',
      host: 'web-1',
      app: 'web',
      configured: true,
      version: 'v2',
    });
    // presence follows every deploy: the hub's registry shows the version the command prints
    await eventuallyAsync(async () => (await operator.host('web-1'))?.apps.web?.version === 'v2');
  });
});

describe('scheduling', () => {
  let host: TestHost;

  beforeAll(async () => {
    // the first hub in the list is down: the agent moves on to the next
    host = createTestHost({
      name: 'multi-1',
      hub: ['http://127.0.0.1:9', hub.url],
      apps: ['web', 'api'],
      ...pin,
    });
    agents.push(await startApprovedAgent(operator, host, 'multi-1'));
  });

  it('runs two apps in parallel', async () => {
    const [a, b] = await Promise.all([
      deploy('web', 'hold-a', ['multi-1']),
      deploy('api', 'hold-b', ['multi-1']),
    ]);
    // neither can finish before its release: both started means both ran at once
    await eventually(
      () => host.started('web', 'hold-a') && host.started('api', 'hold-b'),
      15_000,
      'both deploys to run',
    );
    host.release('web');
    host.release('api');
    expect((await receiptOf(a, 'multi-1')).status).toBe('succeeded');
    expect((await receiptOf(b, 'multi-1')).status).toBe('succeeded');
  });

  it('runs two deploys of one app one after the other', async () => {
    const first = await deploy('web', 'pause-c', ['multi-1']);
    const second = await deploy('web', 'pause-d', ['multi-1']);
    expect((await receiptOf(first, 'multi-1')).status).toBe('succeeded');
    expect((await receiptOf(second, 'multi-1')).status).toBe('succeeded');
    const s = spans(host, 'web');
    expect(s['pause-c']![1] <= s['pause-d']![0]).toBe(true);
  });
});

describe('enrollment', () => {
  it('an agent with a one-time token approves itself, and the token never reaches its logs', async () => {
    const token = randomBytes(24).toString('base64url');
    await operator.grant(token, 'enrolled-1');
    const host = createTestHost({ name: 'enrolled-1', hub: hub.url, ...pin });
    const agent = spawnAgent({
      configPath: host.configPath,
      env: { SERFBORT_ENROLLMENT_TOKEN: token },
    });
    agents.push(agent);
    await agent.waitForEvent('agent.approved');
    const r = await deploy('web', 'v1', ['enrolled-1']);
    expect((await receiptOf(r, 'enrolled-1')).status).toBe('succeeded');
    await agent.stop('SIGTERM');
    expect(JSON.stringify(agent.logs)).not.toContain(token);
    expect(agent.stderr.join('')).not.toContain(token);
  });
});

describe('shutdown', () => {
  it('on SIGTERM says goodbye: the hub shows the host as left (a SIGKILLed one as lost), and the agent exits 0', async () => {
    const host = createTestHost({ name: 'bye-1', hub: hub.url, ...pin });
    const agent = await startApprovedAgent(operator, host, 'bye-1');
    agents.push(agent);
    expect(await agent.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    expect(agent.logs.some((l) => l.event === 'agent.leaving')).toBe(true);
    expect((await operator.host('bye-1'))?.state).toBe('left');

    const again = await restartAgent(host);
    agents.push(again);
    expect((await operator.host('bye-1'))?.state).toBe('online');
    await again.stop('SIGKILL');
    await eventuallyAsync(async () => (await operator.host('bye-1'))?.state === 'lost');
  });
});
