import { chmodSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DeploymentView, OutputLine } from '@serfbort/core';
import { sha256Hex } from '@serfbort/core';
import { signDeploy, standardTrust } from '@serfbort/testkit';
import type { AgentProcess, OperatorClient, TestHost, TestHub } from '@serfbort/testkit/agent';
import {
  createTestHost,
  OperatorClient as Operator,
  removeTestHosts,
  startApprovedAgent,
  startTestHub,
} from '@serfbort/testkit/agent';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const trust = standardTrust();
const digestOf = (payload: string) => sha256Hex(new Uint8Array(Buffer.from(payload, 'base64')));
let hub: TestHub;
let operator: OperatorClient;
let agent: AgentProcess | undefined;
let host: TestHost;

/**
 * The test apps' health checks. Each counts its attempts in a file in the app's
 * directory, so "fails twice, then passes" depends on nothing but the count.
 */
const COUNT = `n=$(($(cat health-count 2>/dev/null || echo 0) + 1)); echo "$n" > health-count`;
const CHECKS: Record<string, string> = {
  flaky: `${COUNT}
echo "probe $n"
if [ "$n" -le 2 ]; then echo "not ready yet ($n)" >&2; exit 1; fi
echo "ready"`,
  broken: `${COUNT}
echo "GET /healthz attempt $n"
echo "connection refused on 127.0.0.1:8080 (attempt $n)" >&2
exit 3`,
  // hangs; the group leader's pid ($$) is the process group id the agent must end
  stuck: `${COUNT}
echo $$ >> health-pids
echo "probing, will hang"
sleep 120
echo "never printed"`,
};

/** Processes of a group that still run (zombies, exited but not yet reaped, do not). */
function livingMembers(pgid: number): number[] {
  const members: number[] = [];
  for (const entry of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // it exited while we looked
    }
    // after "pid (comm) ": state, ppid, pgrp, ...
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(pgrp) === pgid && state !== 'Z') members.push(Number(entry));
  }
  return members;
}

const inApp = (app: string, file: string) => join(host.appDir(app), file);
const attemptsOf = (app: string) => Number(readFileSync(inApp(app, 'health-count'), 'utf8'));

beforeAll(async () => {
  hub = await startTestHub();
  operator = await Operator.connect(hub.url, trust.operatorKey);
  await operator.publishTrust({ root: trust.root.envelope, keyring: trust.keyring.envelope });
  await operator.login();
  host = createTestHost({
    name: 'health-1',
    hub: hub.url,
    apps: Object.keys(CHECKS),
    rootFingerprint: digestOf(trust.root.envelope.payload),
    appConfig: {
      flaky: { healthCheck: { command: ['./health.sh'], retries: 2, interval: '100ms' } },
      // the older form, an argv list: the default retries (2) and interval apply
      broken: { healthCheck: ['./health.sh'] },
      stuck: {
        healthCheck: { command: ['./health.sh'], retries: 1, interval: 0, timeout: '1s' },
      },
    },
  });
  for (const [app, script] of Object.entries(CHECKS)) {
    writeFileSync(inApp(app, 'health.sh'), `#!/bin/sh\n${script}\n`);
    chmodSync(inApp(app, 'health.sh'), 0o755);
  }
  agent = await startApprovedAgent(operator, host, 'health-1');
});

afterAll(async () => {
  await agent?.stop('SIGKILL');
  operator?.close();
  await hub?.dispose();
  removeTestHosts();
});

/** Signs and submits a deploy to health-1; returns its verified receipt and the output the hub kept. */
async function deploy(app: string, version: string) {
  const { envelope, request } = signDeploy({ app, version, target: { hosts: ['health-1'] } }, [
    trust.operatorKey,
  ]);
  await operator.submit(envelope);
  const progress = await operator.waitForHost(request.id, 'health-1');
  const receipt = await operator.verifiedReceipt(
    progress,
    { id: request.id, digest: digestOf(envelope.payload) },
    trust.root.root,
    trust.keyring.envelope,
  );
  const ack = await operator.socket
    .timeout(5000)
    .emitWithAck('deploy:watch', { requestId: request.id });
  const view = ack.ok ? (ack.data as DeploymentView) : undefined;
  const output: OutputLine[] = view?.hosts.find((h) => h.host === 'health-1')?.output ?? [];
  return { receipt, lines: output.map((l) => l.text) };
}

describe('when the health check fails twice and then passes, with retries 2', () => {
  it('the host succeeds on the third attempt', async () => {
    const { receipt, lines } = await deploy('flaky', 'v1');
    expect(receipt).toMatchObject({
      status: 'succeeded',
      exitCode: 0,
      versionBefore: null,
      versionAfter: 'v1',
    });
    expect(receipt.reason).toBeUndefined();
    expect(attemptsOf('flaky')).toBe(3);
    // every attempt streams as progress, marked as the health check
    expect(lines).toEqual(
      expect.arrayContaining([
        '[health 1/3] not ready yet (1)',
        '[health 1/3] failed: exit 1',
        '[health 2/3] not ready yet (2)',
        '[health 3/3] ready',
        '[health 3/3] passed',
      ]),
    );
  });
});

describe('when the health check always fails', () => {
  it('the host fails with HEALTH_CHECK_FAILED and the last attempt output in the signed receipt', async () => {
    const { receipt, lines } = await deploy('broken', 'v1');
    expect(receipt).toMatchObject({
      status: 'failed',
      reason: 'HEALTH_CHECK_FAILED',
      exitCode: 0,
      versionBefore: null,
      versionAfter: 'v1',
    });
    expect(attemptsOf('broken')).toBe(3);
    expect(receipt.detail).toContain('attempt 3/3: exit 3');
    expect(receipt.detail).toContain('connection refused on 127.0.0.1:8080 (attempt 3)');
    expect(receipt.detail).not.toContain('(attempt 2)');
    expect(lines).toContain('[health 3/3] failed: exit 3');
  });

  it('still names the version before the deploy, for a rollback to return to', async () => {
    const { receipt } = await deploy('broken', 'v2');
    expect(receipt).toMatchObject({
      status: 'failed',
      reason: 'HEALTH_CHECK_FAILED',
      versionBefore: 'v1',
      versionAfter: 'v2',
    });
  });
});

describe('when the health check hangs', () => {
  it('each attempt is killed at its timeout, with its process group, and counts as failed', async () => {
    const { receipt, lines } = await deploy('stuck', 'v1');
    expect(receipt).toMatchObject({
      status: 'failed',
      reason: 'HEALTH_CHECK_FAILED',
      versionAfter: 'v1',
    });
    expect(receipt.detail).toContain('attempt 2/2: timed out after 1000 ms');
    expect(receipt.detail).toContain('probing, will hang');
    expect(lines).toContain('[health 1/2] failed: timed out after 1000 ms, process group killed');
    const groups = readFileSync(inApp('stuck', 'health-pids'), 'utf8').trim().split('\n');
    expect(groups).toHaveLength(2);
    // the shell and its `sleep`: nothing of either group is left running
    for (const pgid of groups.map(Number)) expect(livingMembers(pgid)).toEqual([]);
  });
});
