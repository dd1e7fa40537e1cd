import { execFileSync } from 'node:child_process';
import { sha256Hex } from '@serfbort/core';
import { signDeploy, standardTrust } from '@serfbort/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentProcess, OperatorClient, TestHost, TestHub } from './testing/index.js';
import {
  createTestHost,
  OperatorClient as Operator,
  startApprovedAgent,
  startTestHub,
} from './testing/index.js';

const trust = standardTrust();
const digestOf = (payload: string) => sha256Hex(new Uint8Array(Buffer.from(payload, 'base64')));
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
  await hub?.close();
});

describe('a deploy on a real agent process', () => {
  let host: TestHost;

  it('runs the script and signs a receipt whose version-after is what the version command prints', async () => {
    host = createTestHost({
      name: 'web-1',
      hub: hub.url,
      apps: ['web'],
      labels: ['role=web'],
      rootFingerprint: digestOf(trust.root.envelope.payload),
    });
    agents.push(await startApprovedAgent(operator, host, 'web-1'));
    const { envelope, request } = signDeploy(
      { app: 'web', version: 'v1.2.3', target: { selector: 'role=web' } },
      [trust.operatorKey],
    );
    await operator.submit(envelope);
    const progress = await operator.waitForHost(request.id, 'web-1');
    const receipt = await operator.verifiedReceipt(
      progress,
      { id: request.id, digest: digestOf(envelope.payload) },
      trust.root.root,
      trust.keyring.envelope,
    );
    expect(receipt.status).toBe('succeeded');
    expect(receipt.exitCode).toBe(0);
    expect(receipt.versionBefore).toBeNull();
    const printed = execFileSync('cat', ['VERSION'], {
      cwd: host.appDir('web'),
      encoding: 'utf8',
    }).trim();
    expect(receipt.versionAfter).toBe(printed);
    expect(printed).toBe('v1.2.3');
  });
});
