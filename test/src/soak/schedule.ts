import { Rng } from './rng.js';

/** One fault, as the scheduler injects it: `at` ms after the schedule starts, for `ms` ms. */
export type Fault =
  | { kind: 'kill-hub'; at: number; ms: number; hub: number }
  | { kind: 'freeze-hub'; at: number; ms: number; hub: number }
  | { kind: 'kill-agent'; at: number; ms: number; agent: string }
  | { kind: 'freeze-agent'; at: number; ms: number; agent: string }
  | { kind: 'cut-agent'; at: number; ms: number; agent: string }
  | { kind: 'cut-database'; at: number; ms: number }
  | { kind: 'cut-redis'; at: number; ms: number };

export type Operation =
  | { kind: 'deploy'; version: string; hosts: string[] }
  | {
      kind: 'rollout';
      version: string;
      canary: string | undefined;
      batch: number;
      maxFailures: number;
      onFailure: 'halt' | 'rollback';
    };

export interface Schedule {
  seed: number;
  /** hosts whose deploy command fails in this schedule (a `broken` file in the app dir) */
  broken: string[];
  operations: Operation[];
  faults: Fault[];
}

export interface ScheduleShape {
  agents: readonly string[];
  hubs: number;
  scaleOut: boolean;
}

/** The whole schedule follows from its seed and the fleet's shape, so `--seed S` replays it. */
export function planSchedule(seed: number, shape: ScheduleShape): Schedule {
  const rng = new Rng(seed);
  const broken = rng.chance(30) ? [rng.pick(shape.agents)] : [];
  const operation = (tag: string): Operation =>
    rng.chance(50)
      ? { kind: 'deploy', version: `s${seed}${tag}`, hosts: rng.subset(shape.agents) }
      : {
          kind: 'rollout',
          version: `s${seed}${tag}`,
          canary: rng.chance(50) ? rng.pick(shape.agents) : undefined,
          batch: rng.int(1, 3),
          maxFailures: rng.int(0, 1),
          onFailure: rng.chance(50) ? 'halt' : 'rollback',
        };
  const operations = [operation('a')];
  // a second deploy racing the first one (rollouts hold the app's lock, so a plain deploy)
  if (rng.chance(20))
    operations.push({ kind: 'deploy', version: `s${seed}b`, hosts: rng.subset(shape.agents) });
  const kinds: Fault['kind'][] = [
    'kill-hub',
    'freeze-hub',
    'kill-agent',
    'kill-agent',
    'freeze-agent',
    'cut-agent',
    'cut-agent',
    ...(shape.scaleOut ? (['cut-database', 'cut-redis'] as const) : []),
  ];
  const faults: Fault[] = [];
  const count = rng.int(0, 3);
  for (let i = 0; i < count; i++) {
    const kind = rng.pick(kinds);
    const at = rng.int(0, 3_000);
    const ms = rng.int(200, 3_000);
    const hub = rng.int(0, shape.hubs - 1);
    const agent = rng.pick(shape.agents);
    if (kind === 'kill-hub' || kind === 'freeze-hub') faults.push({ kind, at, ms, hub });
    else if (kind === 'cut-database' || kind === 'cut-redis') faults.push({ kind, at, ms });
    else faults.push({ kind, at, ms, agent });
  }
  faults.sort((a, b) => a.at - b.at);
  return { seed, broken, operations, faults };
}

export function describeFault(f: Fault): string {
  const who = 'agent' in f ? ` ${f.agent}` : 'hub' in f ? ` hub${f.hub}` : '';
  return `${f.kind}${who} at ${f.at} ms for ${f.ms} ms`;
}

export function describeSchedule(s: Schedule): string {
  const ops = s.operations.map((o) =>
    o.kind === 'deploy'
      ? `deploy ${o.version} to ${o.hosts.join(',')}`
      : `rollout ${o.version} canary=${o.canary ?? '-'} batch=${o.batch} max-failures=${o.maxFailures} on-failure=${o.onFailure}`,
  );
  return [
    `seed ${s.seed}: ${ops.join('; ')}${s.broken.length ? `; broken: ${s.broken.join(',')}` : ''}`,
    ...s.faults.map((f) => `  fault: ${describeFault(f)}`),
  ].join('\n');
}
