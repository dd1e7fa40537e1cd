import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkInvariants, markWorld } from './invariants.js';
import { reportFailure, runSchedule } from './run-soak.js';
import { planSchedule } from './schedule.js';
import { World } from './world.js';

/**
 * CI's share of the soak, each a few seconds with three agents: seed 1 SIGKILLs the hub
 * and freezes then kills an agent during a deploy; seed 9 freezes the hub and kills the
 * canary host of a rollout; seed 11 cuts a host off mid-rollout. `npm run soak` runs
 * thousands. Seeds that once broke an invariant are added here, so they stay fixed.
 */
const SEEDS = [1, 9, 11];

describe('soak: seeded faults against a real hub, real agents and the real CLI', () => {
  const world = new World({ agents: 3, scaleOut: false });
  const shape = () => ({ agents: world.agents.map((a) => a.name), hubs: 1, scaleOut: false });

  beforeAll(async () => {
    await world.start();
  }, 120_000);
  afterAll(async () => {
    await world.close();
  });

  it.each(SEEDS)(
    'seed %i breaks no invariant',
    async (seed) => {
      const verdict = await runSchedule(world, planSchedule(seed, shape()));
      expect(verdict.violations, reportFailure(verdict, false, 3)).toEqual([]);
    },
    90_000,
  );

  it('the checks are not vacuous: a run nobody signed, and a run done twice, are caught', async () => {
    const mark = markWorld(world);
    const deploy = await world.mustCli([
      'deploy',
      'web',
      'checked',
      '--hosts',
      'a0',
      '--yes',
      '--json',
    ]);
    const [first] = world.agents[0]!.runs().slice(-1);
    const log = join(world.agents[0]!.host.appDir('web'), 'runs.log');
    appendFileSync(log, `forgedRequestId0001 evil ${Date.now()}\n`);
    appendFileSync(log, `${first!.requestId} ${first!.version} ${Date.now()}\n`);
    const violations = await checkInvariants(world, mark, [deploy]);
    expect(violations).toEqual(
      expect.arrayContaining([
        { invariant: 1, what: 'a0 ran forgedRequestId0001, which the hub never stored' },
        { invariant: 1, what: `a0 ran request ${first!.requestId} twice` },
      ]),
    );
  }, 60_000);
});
