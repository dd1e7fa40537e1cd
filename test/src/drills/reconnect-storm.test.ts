import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AgentHandle } from '@serfbort/agent';
import { loadConfig, startAgent } from '@serfbort/agent';
import type { DeploymentView } from '@serfbort/core';
import { signDeploy, standardTrust } from '@serfbort/testkit';
import { eventually, eventuallyAsync, OperatorClient } from '@serfbort/testkit/agent';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshHubDataDir, HubProcess } from '../support/hub-process.js';

const COUNT = 200;
const trust = standardTrust();

/**
 * 200 agents (real agent code, one process, each with its own key, state and token)
 * all lose their hub at once and come back: all back, and nothing lost.
 */
describe(`${COUNT} agents reconnecting at once after a hub restart`, () => {
  let hub: HubProcess;
  let op: OperatorClient;
  let dir: string;
  const agents: AgentHandle[] = [];
  const approved = () => agents.filter((a) => a.status === 'approved').length;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'serfbort-storm-'));
    hub = await HubProcess.start(await freshHubDataDir());
    op = await OperatorClient.connect(hub.url, trust.operatorKey);
    await op.publishTrust({ root: trust.root.envelope, keyring: trust.keyring.envelope });
    await op.login();
    const tokens = Array.from({ length: COUNT }, () => randomBytes(18).toString('base64url'));
    for (const t of tokens) await op.grant(t);
    const rootFile = join(dir, 'root.json');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(rootFile, JSON.stringify(trust.root.envelope));
    for (let i = 0; i < COUNT; i++) {
      const home = join(dir, `s${i}`);
      mkdirSync(home);
      const config = loadConfig({
        raw: {
          hub: hub.url,
          name: `storm-${i}`,
          labels: ['role=storm'],
          trust: { root: rootFile },
          stateDir: join(home, 'state'),
          enrollmentToken: tokens[i],
          reconnectMax: '3s',
          presenceInterval: '60s',
          apps: {
            web: {
              deploy: ['sh', '-c', 'printf "%s\\n" "$0" > VERSION', '{version}'],
              version: ['cat', 'VERSION'],
              cwd: home,
              timeout: '60s',
            },
          },
        },
        baseDir: home,
      });
      writeFileSync(join(home, 'VERSION'), 'v0\n');
      agents.push(await startAgent(config));
    }
    await eventually(() => approved() === COUNT, 90_000, `all ${COUNT} approved`);
  }, 180_000);

  afterAll(async () => {
    op?.socket.close();
    await Promise.all(agents.map((a) => a.stop({ graceMs: 1000 }).catch(() => {})));
    await hub?.kill();
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('all come back after a SIGKILL, and a deploy reaches every one of them', async () => {
    await hub.kill('SIGKILL');
    await eventually(() => approved() === 0, 20_000, 'all agents noticed');
    const started = Date.now();
    await hub.respawn();
    await eventually(() => approved() === COUNT, 120_000, `all ${COUNT} back`);
    console.log(
      `reconnect storm: ${COUNT} agents authenticated again ${Date.now() - started} ms after the hub restarted`,
    );
    op.socket.close();
    op = await (await OperatorClient.connect(hub.url, trust.operatorKey)).login();
    const online = (await op.hosts()).filter((h) => h.state === 'online').length;
    expect(online).toBe(COUNT);
    const { envelope, request } = signDeploy(
      { app: 'web', version: 'v-storm', target: { selector: 'role=storm' } },
      [trust.operatorKey],
    );
    const view = await op.submit(envelope);
    expect(view.hosts).toHaveLength(COUNT);
    let states: string[] = [];
    await eventuallyAsync(
      async () => {
        const r = await op.socket
          .timeout(10_000)
          .emitWithAck('deploy:watch', { requestId: request.id });
        states = r.ok ? (r.data as DeploymentView).hosts.map((h) => h.state) : [];
        return states.filter((s) => s === 'succeeded').length === COUNT;
      },
      90_000,
      `all ${COUNT} receipts`,
    );
    expect(states.every((s) => s === 'succeeded')).toBe(true);
  }, 240_000);
});
