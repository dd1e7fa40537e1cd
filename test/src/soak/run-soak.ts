import { FINAL_HOST_STATES, FINAL_ROLLOUT_STATUSES, type HostView } from '@serfbort/core';
import {
  checkInvariants,
  deploymentsSince,
  type Mark,
  markWorld,
  rolloutsSince,
  unacknowledged,
  type Violation,
} from './invariants.js';
import {
  describeSchedule,
  type Fault,
  type Operation,
  planSchedule,
  type Schedule,
} from './schedule.js';
import { type CliResult, sleep, World, type WorldOptions } from './world.js';

export interface SoakOptions extends WorldOptions {
  schedules: number;
  seed: number;
  /** called with each schedule's verdict as it ends */
  onSchedule?: (verdict: ScheduleVerdict, index: number) => void;
}

export interface ScheduleVerdict {
  schedule: Schedule;
  violations: Violation[];
  ms: number;
  /** what the CLI runs answered, for the report of a failing schedule */
  clis: CliResult[];
}

function operationArgs(op: Operation): string[] {
  if (op.kind === 'deploy')
    return [
      'deploy',
      'web',
      op.version,
      '--hosts',
      op.hosts.join(','),
      '--expires',
      '8s',
      '--timeout',
      '10s',
      '--yes',
      '--json',
    ];
  return [
    'deploy',
    'web',
    op.version,
    '-l',
    'role=soak',
    ...(op.canary ? ['--canary-hosts', op.canary] : []),
    '--batch',
    String(op.batch),
    '--max-failures',
    String(op.maxFailures),
    '--on-failure',
    op.onFailure,
    '--step-timeout',
    '5s',
    '--lock-ttl',
    '10s',
    '--yes',
    '--json',
  ];
}

async function inject(world: World, f: Fault): Promise<void> {
  await sleep(f.at);
  switch (f.kind) {
    case 'kill-hub': {
      const hub = world.hubs[f.hub]!;
      await hub.kill();
      await sleep(f.ms);
      await hub.start();
      return;
    }
    case 'freeze-hub': {
      const hub = world.hubs[f.hub]!;
      hub.freeze();
      await sleep(f.ms);
      hub.thaw();
      return;
    }
    case 'kill-agent': {
      const agent = world.agent(f.agent);
      await agent.kill();
      await sleep(f.ms);
      agent.start();
      return;
    }
    case 'freeze-agent': {
      const agent = world.agent(f.agent);
      agent.freeze();
      await sleep(f.ms);
      agent.thaw();
      return;
    }
    case 'cut-agent': {
      const agent = world.agent(f.agent);
      for (const l of agent.links) await l.cut();
      await sleep(f.ms);
      for (const l of agent.links) await l.heal();
      return;
    }
    case 'cut-database':
    case 'cut-redis': {
      const link = f.kind === 'cut-database' ? world.databaseLink : world.redisLink;
      await link?.cut();
      await sleep(f.ms);
      await link?.heal();
      return;
    }
  }
}

/** Polls `check` until it holds or `ms` pass; the checks afterwards say what did not settle. */
async function settle(check: () => Promise<boolean>, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check().catch(() => false)) return;
    await sleep(500);
  }
}

async function allOnline(world: World): Promise<boolean> {
  const hosts = await world.api<HostView[]>('/api/hosts');
  return world.agents.every((a) => hosts.some((h) => h.name === a.name && h.state === 'online'));
}

/** After healing: rollouts left running by a CLI that lost its hub are finished by `rollout resume`. */
async function resumeLeftovers(world: World, mark: Mark, clis: CliResult[]): Promise<void> {
  for (let round = 0; round < 2; round++) {
    const open = (await rolloutsSince(world, mark)).filter(
      (r) => !FINAL_ROLLOUT_STATUSES.includes(r.status),
    );
    if (open.length === 0) return;
    for (const r of open) clis.push(await world.cli(['rollout', 'resume', r.id, '--json'], 90_000));
  }
}

async function settled(world: World, mark: Mark): Promise<boolean> {
  if (world.agents.some((a) => unacknowledged(a).length > 0)) return false;
  const ds = await deploymentsSince(world, mark);
  return ds.every((d) => d.hosts.every((h) => FINAL_HOST_STATES.includes(h.state)));
}

/** `listWithCli`: the hosts check asks the CLI (a process start each time) rather than the API */
export async function runSchedule(
  world: World,
  schedule: Schedule,
  listWithCli = true,
): Promise<ScheduleVerdict> {
  const began = Date.now();
  for (const a of world.agents) a.setBroken(schedule.broken.includes(a.name));
  const mark = markWorld(world);
  const clis: CliResult[] = [];
  const ops = schedule.operations.map(async (op) => {
    clis.push(await world.cli(operationArgs(op), 120_000));
  });
  const trouble: Violation[] = [];
  try {
    await Promise.all([...ops, ...schedule.faults.map((f) => inject(world, f))]);
    await world.heal();
  } catch (e) {
    // a hub that does not come back is a finding of its own; one more try, then give up
    trouble.push({ invariant: 4, what: `the fleet did not come back: ${(e as Error).message}` });
    await Promise.allSettled(ops);
    await world.heal();
  }
  await settle(() => allOnline(world), 30_000);
  await resumeLeftovers(world, mark, clis);
  await settle(() => settled(world, mark), 30_000);
  const violations = await checkInvariants(world, mark, clis, listWithCli).catch((e: unknown) => [
    { invariant: 4 as const, what: `the checks could not read the hub: ${(e as Error).message}` },
  ]);
  return { schedule, violations: [...trouble, ...violations], ms: Date.now() - began, clis };
}

export async function runSoak(options: SoakOptions): Promise<ScheduleVerdict[]> {
  const world = new World(options);
  const failed: ScheduleVerdict[] = [];
  // Ctrl-C or a timeout's SIGTERM must not orphan the hub and agents it started
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    stopping = true;
    console.error(`soak: ${signal}: stopping the fleet`);
    void world.close().finally(() => process.exit(130));
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const s of signals) process.once(s, stop);
  try {
    await world.start();
    const shape = {
      agents: world.agents.map((a) => a.name),
      hubs: world.hubs.length,
      scaleOut: options.scaleOut,
    };
    for (let i = 0; i < options.schedules; i++) {
      const schedule = planSchedule(options.seed + i, shape);
      // every fifth schedule lists hosts with the CLI; the others read the same view from the API
      const verdict = await runSchedule(world, schedule, i % 5 === 0);
      // a schedule cut short by our own shutdown proves nothing
      if (stopping) break;
      if (verdict.violations.length > 0) failed.push(verdict);
      options.onSchedule?.(verdict, i);
    }
  } finally {
    for (const s of signals) process.off(s, stop);
    await world.close();
  }
  return failed;
}

export function reportFailure(v: ScheduleVerdict, scaleOut: boolean, agents: number): string {
  const replay = `npm run soak -- --seed ${v.schedule.seed} --schedules 1 --agents ${agents}${scaleOut ? ' --scale-out' : ''}`;
  return [
    `FAILED ${describeSchedule(v.schedule)}`,
    ...v.violations.map((x) => `  invariant ${x.invariant}: ${x.what}`),
    ...v.clis.map(
      (c) =>
        `  cli: serfbort ${c.args.join(' ')} -> exit ${c.code}${c.code !== 0 ? `: ${c.stderr.trim().split('\n').slice(-2).join(' | ')}` : ''}`,
    ),
    `  replay: ${replay}`,
  ].join('\n');
}
