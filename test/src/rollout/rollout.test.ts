import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RolloutSummary } from '@serfbort/client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RolloutFleet } from './rollout-fleet.js';

interface RolloutJson {
  rolloutId: string;
  kind: string;
  status: string;
  reason: string | null;
  summary: RolloutSummary;
  results: {
    host: string;
    result: string;
    reason: string | null;
    versionBefore: string | null;
    versionAfter: string | null;
  }[];
  steps: { index: number; hosts: string[]; requestId: string | null; version?: string }[];
  rollback?: RolloutJson;
}

const NAMES = ['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7', 'r8', 'r9'];
const SIX = NAMES.slice(0, 6);
const fleet = new RolloutFleet();
const parse = (stdout: string) => JSON.parse(stdout) as RolloutJson;

async function rolloutsOf(): Promise<
  { id: string; version: string; status: string; steps: { requestId?: string }[] }[]
> {
  const r = await fleet.cli(['rollout', 'list', '--app', 'web', '--json']);
  if (r.code !== 0) throw new Error(`rollout list exited ${r.code}: ${r.stderr}${r.stdout}`);
  return JSON.parse(r.stdout);
}

type Driver = ReturnType<RolloutFleet['spawnCli']>;

/** A CLI driving `version` to r0–r5 in batches of two, waiting between steps. */
const driveSix = (version: string, wait: string): Driver =>
  fleet.spawnCli([
    'deploy',
    'web',
    version,
    '--hosts',
    SIX.join(','),
    '--batch',
    '2',
    '--wait',
    wait,
    '--yes',
  ]);

/**
 * The id of the rollout this driver started (found by its version, never "the newest":
 * an earlier test's rollout must not be taken for it), once its first step is out.
 * A driver that ends before that says why at once instead of leaving a 30 s wait.
 */
async function firstStepReleased(version: string, driver: Driver): Promise<string> {
  let ended: { code: number | null; stdout: string; stderr: string } | undefined;
  void driver.done.then((r) => {
    ended = r;
  });
  const until = Date.now() + 30_000;
  while (Date.now() < until) {
    const mine = (await rolloutsOf()).find((r) => r.version === version);
    if (mine?.status === 'running' && mine.steps[0]?.requestId) return mine.id;
    if (ended)
      throw new Error(
        `the driver of ${version} exited ${ended.code} before releasing step 1:\n${ended.stderr}${ended.stdout}`,
      );
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no rollout of ${version} released its first step within 30 s`);
}

beforeAll(async () => {
  await fleet.start(NAMES, (n) => (n === 'r0' ? ['role=web', 'canary=true'] : ['role=web']));
}, 240_000);
afterAll(async () => {
  await fleet.close();
});
// one failed test must not fail the next ones: its driver dies with it, and its lock is let go
afterEach(async ({ task }) => {
  fleet.killDrivers();
  if (task.result?.state === 'fail') await fleet.cli(['lock', 'release', 'web', '--yes']);
});

describe('rollouts (real hub, real agent processes, the real CLI)', () => {
  it('halts when a step-2 host fails its health check, never touches step 3, and rolls steps 1-2 back', async () => {
    writeFileSync(join(fleet.host('r3').appDir('web'), 'unhealthy'), '');
    const r = await fleet.cli([
      'deploy',
      'web',
      'v2',
      '-l',
      'role=web',
      '--canary',
      'canary=true',
      '--batch',
      '5',
      '--max-failures',
      '0',
      '--on-failure',
      'rollback',
      '--yes',
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(1);
    const out = parse(r.stdout);
    expect(out.steps.map((s) => s.hosts)).toEqual([
      ['r0'],
      ['r1', 'r2', 'r3', 'r4', 'r5'],
      ['r6', 'r7', 'r8', 'r9'],
    ]);
    expect(out.status).toBe('halted');
    expect(out.summary.failed).toEqual(['r3']);
    expect(out.results.find((h) => h.host === 'r3')?.reason).toBe('HEALTH_CHECK_FAILED');
    expect(out.summary.succeeded).toEqual(['r0', 'r1', 'r2', 'r4', 'r5']);
    expect(out.summary.notReleased).toEqual(['r6', 'r7', 'r8', 'r9']);
    expect(out.steps[2]?.requestId).toBeNull();
    // step 3's hosts never received anything: nothing ran on their disks
    for (const h of ['r6', 'r7', 'r8', 'r9']) expect(fleet.started(h)).toEqual([]);

    // the rollback: a new signed request per version-before, verified receipts, every host back on v1
    const back = out.rollback!;
    expect(back.kind).toBe('rollback');
    expect(back.status).toBe('succeeded');
    expect(back.steps).toEqual([expect.objectContaining({ hosts: SIX, version: 'v1' })]);
    expect(back.summary.succeeded).toEqual(SIX);
    expect(back.results.every((h) => h.versionBefore !== null && h.versionAfter === 'v1')).toBe(
      true,
    );
    for (const h of SIX) {
      expect(fleet.started(h)).toEqual(['v2', 'v1']);
      expect(fleet.host(h).currentVersion('web')).toBe('v1');
    }
    const shown = await fleet.cli(['rollout', 'show', out.rolloutId, '--json']);
    expect(parse(shown.stdout).status).toBe('rolled-back');
    // the rollback's row reads as one: where it went back to, not the version it undid
    const listed = await fleet.cli(['rollout', 'list', '--app', 'web']);
    expect(listed.stdout).toContain(`↩ v1 (rollback of v2, rollout ${out.rolloutId})`);
    // the lock went with the rollout
    expect((await fleet.cli(['lock', 'status', 'web'])).stdout).toContain('web is not locked');
  }, 120_000);

  it('counts a host that stays silent as failed, and its late request never runs', async () => {
    const r7 = fleet.agents.get('r7')!;
    process.kill(r7.pid, 'SIGSTOP');
    try {
      const r = await fleet.cli([
        'deploy',
        'web',
        'v3',
        '--hosts',
        'r7,r8',
        '--batch',
        '1',
        '--step-timeout',
        '4s',
        '--yes',
        '--json',
      ]);
      expect(r.code, r.stderr).toBe(1);
      const out = parse(r.stdout);
      expect(out.status).toBe('halted');
      expect(out.summary.silent).toEqual(['r7']);
      expect(out.summary.notReleased).toEqual(['r8']);
    } finally {
      process.kill(r7.pid, 'SIGCONT');
    }
    // the agent wakes up to a request that expired at the step's deadline: refused, not run
    await r7.waitForEvent('deploy.rejected', {}, 20_000).catch(() => undefined);
    expect(fleet.started('r7')).not.toContain('v3');
    expect(fleet.started('r8')).not.toContain('v3');
  }, 60_000);

  it('a rollout whose client was killed is finished by rollout resume', async () => {
    const driver = driveSix('v4', '3s');
    const id = await firstStepReleased('v4', driver);
    driver.child.kill('SIGKILL');
    await driver.done;
    const resumed = await fleet.cli(['rollout', 'resume', id, '--json']);
    expect(resumed.code, resumed.stderr).toBe(0);
    const out = parse(resumed.stdout);
    expect(out.status).toBe('succeeded');
    expect(out.summary.succeeded).toEqual(SIX);
    for (const h of SIX) {
      expect(fleet.host(h).currentVersion('web')).toBe('v4');
      // each host ran v4 exactly once: the resumed client never re-released a step
      expect(fleet.started(h).filter((v) => v === 'v4')).toHaveLength(1);
    }
  }, 120_000);

  it('Ctrl-C pauses the rollout, says what is left and how to go on, and resume finishes it', async () => {
    const driver = driveSix('v4b', '5s');
    const id = await firstStepReleased('v4b', driver);
    driver.child.kill('SIGINT');
    const stopped = await driver.done;
    expect(stopped.code, stopped.stderr).toBe(130);
    expect(stopped.stderr).toContain(`serfbort rollout resume ${id}`);
    expect(stopped.stderr).toContain(`serfbort rollout abort ${id}`);
    expect(stopped.stderr).toMatch(/is paused/);
    const [latest] = await rolloutsOf();
    expect(latest).toMatchObject({ id, status: 'paused' });
    const resumed = await fleet.cli(['rollout', 'resume', id, '--json']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(parse(resumed.stdout).summary.succeeded).toEqual(SIX);
    for (const h of SIX) expect(fleet.started(h).filter((v) => v === 'v4b')).toHaveLength(1);
  }, 120_000);

  it('an abort releases nothing more and leaves no host mid-deploy', async () => {
    // pause-* versions take a second to deploy
    const driver = driveSix('pause-v5', '5s');
    const id = await firstStepReleased('pause-v5', driver);
    const aborted = await fleet.cli(['rollout', 'abort', id, '--json']);
    expect(aborted.code, aborted.stderr).toBe(0);
    const stopped = await driver.done;
    expect(stopped.code).toBe(1);
    expect(stopped.stdout).toContain('aborted by alice');
    const released = parse(aborted.stdout)
      .steps.filter((s) => s.requestId)
      .flatMap((s) => s.hosts);
    expect(released).toEqual(['r0', 'r1']);
    for (const h of SIX) {
      const log = fleet.host(h).ranLog('web');
      const starts = log.filter((l) => l.startsWith('start pause-v5')).length;
      const ends = log.filter((l) => l.startsWith('end pause-v5')).length;
      expect(starts, `${h} mid-deploy`).toBe(ends);
      expect(starts).toBe(released.includes(h) ? 1 : 0);
    }
  }, 120_000);

  it('a second rollout of a locked app is refused; releasing the lock needs a signature', async () => {
    const driver = fleet.spawnCli([
      'deploy',
      'web',
      'v6',
      '--hosts',
      'r8,r9',
      '--batch',
      '1',
      '--wait',
      '60s',
      '--yes',
    ]);
    const id = await firstStepReleased('v6', driver);
    const second = await fleet.cli([
      'deploy',
      'web',
      'v7',
      '--hosts',
      'r9',
      '--batch',
      '1',
      '--yes',
    ]);
    expect(second.code).toBe(3);
    expect(second.stderr).toContain('LOCKED');
    expect(second.stderr).toContain(`rollout ${id} of alice`);
    const plain = await fleet.cli(['deploy', 'web', 'v7', '--hosts', 'r9', '--yes']);
    expect(plain.code).toBe(3);
    expect((await fleet.cli(['lock', 'status', 'web'])).stdout).toContain(
      `locked by rollout ${id} of alice`,
    );
    // without the key's passphrase nothing is signed, nothing released
    const unsigned = await fleet.cli(['lock', 'release', 'web', '--yes'], {
      SERFBORT_PASSPHRASE: 'wrong',
    });
    expect(unsigned.code).toBe(2);
    expect((await fleet.cli(['lock', 'status', 'web'])).stdout).toContain('locked by');
    const released = await fleet.cli(['lock', 'release', 'web', '--yes']);
    expect(released.code, released.stderr).toBe(0);
    // the driver sees its rollout end at its next gate and stops without releasing step 2
    const stopped = await driver.done;
    expect(stopped.code).toBe(1);
    expect(fleet.started('r9')).not.toContain('v6');
    expect((await fleet.cli(['lock', 'status', 'web'])).stdout).toContain('web is not locked');
  }, 120_000);

  it('refuses a plan it cannot keep before anything is signed', async () => {
    const before = (await rolloutsOf()).length;
    const cases: [string[], string][] = [
      [['--canary', 'tier=none', '--batch', '2'], 'BAD_PLAN'],
      [['--canary-hosts', 'elsewhere', '--batch', '2'], 'BAD_PLAN'],
      [['--batch', '0'], 'BAD_AMOUNT'],
      [['--batch', '2', '--on-failure', 'continue'], 'BAD_OPTION'],
      [['--batch', '2', '--sign-only'], 'BAD_OPTION'],
      [['--batch', '2', '--no-wait'], 'BAD_OPTION'],
    ];
    for (const [flags, code] of cases) {
      const r = await fleet.cli(['deploy', 'web', 'v8', '-l', 'role=web', ...flags, '--yes']);
      expect(r.code, flags.join(' ')).toBe(2);
      expect(r.stderr, flags.join(' ')).toContain(code);
    }
    expect(await rolloutsOf()).toHaveLength(before);
    for (const h of NAMES) expect(fleet.started(h)).not.toContain('v8');
  }, 60_000);
});
