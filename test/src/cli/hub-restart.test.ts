import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectOk, Fleet, reachStatus, trustedFleet } from './fleet.js';

// A hub restarts (an upgrade, a crash) while an operator's command waits on it: the CLI
// gets back to it by itself, renews its login and watches, and finishes the job.
let fleet: Fleet;

const started = (host: string) => join(fleet.dir, 'agents', host, 'started-shop');

/** Resolves once the host's deploy command has begun (it writes a marker first). */
async function deployRunsOn(host: string, version: string): Promise<void> {
  const until = Date.now() + 30_000;
  while (Date.now() < until) {
    if (existsSync(started(host)) && readFileSync(started(host), 'utf8') === version) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`${version} never started on ${host}`);
}

beforeAll(async () => {
  fleet = new Fleet();
  await trustedFleet(fleet, ['web-1', 'web-2']);
}, 180_000);
afterAll(async () => {
  await fleet?.close();
});

describe('the hub restarts while the CLI waits', () => {
  it('a deploy in flight: the CLI reconnects and reports the verified receipt, exit 0', async () => {
    for (const h of ['web-1', 'web-2']) rmSync(started(h), { force: true });
    const run = fleet.cli('alice', ['deploy', 'shop', 'slow-1', '--hosts', 'web-1', '--yes']);
    await deployRunsOn('web-1', 'slow-1');
    await fleet.restartHub(500);
    const done = expectOk(await run, 'deploy across a hub restart');
    expect(done.stderr).toMatch(/lost the hub connection .*reconnecting/);
    expect(done.stderr).toMatch(/reconnected to http:\/\/127\.0\.0\.1:\d+/);
    expect(done.stdout).toMatch(/web-1\s.*succeeded/);
    expect(done.stdout).not.toMatch(/UNVERIFIED/);
  }, 120_000);

  it('a rollout in flight: its driver carries on to the end without anyone resuming it', async () => {
    await reachStatus(fleet.agents.get('web-1')!, 'approved');
    await reachStatus(fleet.agents.get('web-2')!, 'approved');
    const run = fleet.cli('alice', [
      'deploy',
      'shop',
      'slow-2',
      '--hosts',
      'web-1,web-2',
      '--batch',
      '1',
      '--yes',
      '--json',
    ]);
    // the first batch is one of the two hosts: whichever starts first
    await Promise.any([deployRunsOn('web-1', 'slow-2'), deployRunsOn('web-2', 'slow-2')]);
    await fleet.restartHub(500);
    const done = expectOk(await run, 'rollout across a hub restart');
    const result = done.json<{ status: string }>();
    expect(result.status).toBe('succeeded');
    for (const h of ['web-1', 'web-2'])
      expect(readFileSync(join(fleet.dir, 'agents', h, 'current-shop'), 'utf8')).toBe('slow-2');
  }, 120_000);
});
