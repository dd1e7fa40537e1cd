import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HostView } from '@serfbort/core';
import type { AgentProcess, TestHost } from '@serfbort/testkit/agent';
import { createTestHost, eventuallyAsync, spawnAgent } from '@serfbort/testkit/agent';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectOk, Fleet, trustedFleet } from '../cli/fleet.js';

/*
 * An approved agent whose clock is 10 minutes ahead: the hub refuses its hellos, the
 * agent says why and by how much, and operators see the skew instead of "left".
 */

const TEN_MINUTES_MS = 600_000;
let fleet: Fleet;
let host: TestHost;
let agent: AgentProcess | undefined;

const listJson = async (): Promise<HostView[]> =>
  (expectOk(await fleet.cli('alice', ['list', '--json']), 'list').json() as { hosts: HostView[] })
    .hosts;
const skewy = async () => (await listJson()).find((h) => h.name === 'skewy');

beforeAll(async () => {
  fleet = new Fleet();
  await trustedFleet(fleet, []);
  host = createTestHost({
    name: 'skewy',
    hub: fleet.hubUrl,
    labels: ['role=web'],
    root: JSON.parse(readFileSync(join(fleet.dir, 'root.json'), 'utf8')),
  });
  agent = spawnAgent({ configPath: host.configPath });
  const pending = await agent.waitForEvent('agent.pending');
  const approve = ['agents', 'approve', 'skewy', '--fingerprint', String(pending.fingerprint)];
  expectOk(await fleet.cli('alice', [...approve, '--yes']), 'approve');
  await agent.waitForEvent('agent.approved');
  await agent.stop('SIGTERM');
}, 120_000);

afterAll(async () => {
  await agent?.stop('SIGKILL');
  await fleet?.close();
});

describe('a skewed agent clock (real agent process, real CLI)', () => {
  it('a skewed hello from another key under its name marks nothing on the approved host', async () => {
    const impostorHost = createTestHost({
      name: 'skewy',
      hub: fleet.hubUrl,
      labels: ['role=web'],
      root: JSON.parse(readFileSync(join(fleet.dir, 'root.json'), 'utf8')),
    });
    const impostor = spawnAgent({
      configPath: impostorHost.configPath,
      env: { SERFBORT_AGENT_CLOCK_OFFSET_MS: String(TEN_MINUTES_MS) },
    });
    try {
      // the hub answered (and would have recorded) before the agent could log the refusal
      await impostor.waitForEvent('hub.clock-skew', { code: 'CLOCK_SKEW' });
    } finally {
      await impostor.stop('SIGKILL');
    }
    const view = await skewy();
    expect(view?.state).toBe('left');
    expect(view?.problem).toBeUndefined();
  });

  it('the agent logs the refusal as clock skew, in seconds', async () => {
    agent = spawnAgent({
      configPath: host.configPath,
      env: { SERFBORT_AGENT_CLOCK_OFFSET_MS: String(TEN_MINUTES_MS) },
    });
    const line = await agent.waitForEvent('hub.clock-skew', { code: 'CLOCK_SKEW' });
    expect(Math.abs(Number(line.skewSeconds) - 600)).toBeLessThanOrEqual(1);
    expect(line.msg).toMatch(/60\d s ahead of the hub's|599 s ahead of the hub's/);
    expect(agent.logs.some((l) => l.event === 'hub.auth-failed')).toBe(false);
  });

  it('list shows the host with its clock skew, not just "left"', async () => {
    await eventuallyAsync(async () => (await skewy())?.problem !== undefined, 20_000);
    const view = (await skewy())!;
    expect(view.state).not.toBe('online');
    expect(view.problem).toMatchObject({ code: 'CLOCK_SKEW' });
    expect(Math.abs(view.problem!.skewMs - TEN_MINUTES_MS)).toBeLessThan(5_000);
    const table = expectOk(await fleet.cli('alice', ['list']), 'list').stdout;
    expect(table).toMatch(/skewy\s+│?\s*clock skew (599|60\d) s/);
    const metrics = await (await fetch(`${fleet.hubUrl}/metrics`)).text();
    expect(metrics).toMatch(/^serfbort_hub_agents_with_problem\{problem="clock_skew"\} 1$/m);
  });

  it('a corrected clock clears it: the host is online again', async () => {
    await agent?.stop('SIGTERM');
    agent = spawnAgent({ configPath: host.configPath });
    await agent.waitForEvent('agent.approved');
    await eventuallyAsync(async () => (await skewy())?.state === 'online', 20_000);
    expect((await skewy())?.problem).toBeUndefined();
    const metrics = await (await fetch(`${fleet.hubUrl}/metrics`)).text();
    expect(metrics).toMatch(/^serfbort_hub_agents_with_problem\{problem="clock_skew"\} 0$/m);
  });
});
