import { parseArgs } from 'node:util';
import { INVARIANTS } from './invariants.js';
import { reportFailure, runSoak } from './run-soak.js';
import { describeSchedule } from './schedule.js';

const USAGE = `usage: npm run soak -- [--schedules N] [--seed S] [--agents 3-5] [--scale-out] [--verbose]

Runs N fault schedules (seeds S, S+1, ...) against a real hub, real agents and the real CLI,
and checks after each:
${Object.entries(INVARIANTS)
  .map(([n, what]) => `  ${n}. ${what}`)
  .join('\n')}
A failing schedule prints its seed; --seed S --schedules 1 replays it.`;

function fail(message: string): never {
  console.error(`soak: ${message}\n\n${USAGE}`);
  process.exit(2);
}

function intArg(
  value: string | undefined,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    fail(`--${name} must be an integer from ${min} to ${max}`);
  return n;
}

let parsed: ReturnType<typeof parse>;
function parse() {
  return parseArgs({
    options: {
      schedules: { type: 'string' },
      seed: { type: 'string' },
      agents: { type: 'string' },
      'scale-out': { type: 'boolean', default: false },
      verbose: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
}
try {
  parsed = parse();
} catch (e) {
  fail((e as Error).message);
}
if (parsed.values.help) {
  console.log(USAGE);
  process.exit(0);
}
const schedules = intArg(parsed.values.schedules, 'schedules', 20, 1, 1_000_000);
const seed = intArg(
  parsed.values.seed,
  'seed',
  Math.floor(Math.random() * 1_000_000),
  0,
  2 ** 31 - 1,
);
const agents = intArg(parsed.values.agents, 'agents', 4, 3, 5);
const scaleOut = parsed.values['scale-out'];
const verbose = parsed.values.verbose;

console.log(
  `soak: ${schedules} schedule(s) from seed ${seed}, ${agents} agents${scaleOut ? ', PostgreSQL + Redis, 2 hubs' : ', embedded database'}`,
);
const started = Date.now();
let broken = 0;
const failed = await runSoak({
  schedules,
  seed,
  agents,
  scaleOut,
  onSchedule: (v, i) => {
    if (v.violations.length > 0) {
      broken++;
      console.log(reportFailure(v, scaleOut, agents));
    } else if (verbose)
      console.log(
        `ok ${describeSchedule(v.schedule)} (${v.ms} ms)\n${v.clis.map((c) => `  cli: ${c.args.slice(0, 3).join(' ')} exit ${c.code}${c.code ? `: ${c.stderr.trim().split('\n').pop()}` : ''}`).join('\n')}`,
      );
    else
      console.log(
        `ok ${i + 1}/${schedules} seed ${v.schedule.seed} (${v.schedule.faults.length} fault(s), ${v.ms} ms)`,
      );
  },
}).catch((e: unknown) => {
  console.error(`soak: could not run: ${(e as Error).message}`);
  process.exit(2);
});
const minutes = ((Date.now() - started) / 60_000).toFixed(1);
console.log(
  `soak: ${schedules} schedule(s) from seed ${seed} in ${minutes} min: ${broken} broke an invariant${failed.length ? ` (seeds ${failed.map((f) => f.schedule.seed).join(', ')})` : ''}`,
);
process.exit(failed.length > 0 ? 1 : 0);
