/**
 * `npm run bench -- [--quick]`: the floor (bare Socket.IO), Serf, the real hub
 * with simulated agents, and real agent processes, in one run, printed side by
 * side as ratios because absolute times drift on a shared machine.
 */
import { loadavg } from 'node:os';
import { type BenchOptions, parseArgs } from './args.js';
import { installCleanup, stopAllChildren } from './common/children.js';
import { type FloorResult, runFloor } from './floor/run-floor.js';
import { useHubBundle } from './hub/hub-process.js';
import { type AdmissionMicroResult, measureAdmission } from './micro/admission-micro.js';
import { useAgentBundle } from './real/real-fleet.js';
import { type RealResult, runReal } from './real/run-real.js';
import { goalRows, goalsMarkdown, renderGoals } from './report/goal-table.js';
import { renderProfile } from './report/profile-text.js';
import { provenance } from './report/provenance.js';
import { profileDirFor, writeResults } from './report/results-file.js';
import { floorRows, realRows, serfRows, simRows } from './report/rows.js';
import { type Row, renderMarkdown, renderTable } from './report/table.js';
import { runSerf, type SerfResult } from './serf/run-serf.js';
import { runSim, type SimResult } from './sim/run-sim.js';

const VERSION = 'v1.42.0';

async function main(options: BenchOptions): Promise<void> {
  const startedAt = new Date();
  if (options.hubBundle) useHubBundle(options.hubBundle);
  if (options.agentBundle) useAgentBundle(options.agentBundle);
  const t0 = performance.now();
  const rows: Row[] = [];
  const floor = new Map<number, FloorResult>();
  const cryptoFloor = new Map<number, FloorResult>();
  const serf = new Map<number, SerfResult>();
  const results: Record<string, unknown> = {
    options: { ...options, parts: [...options.parts] },
    provenance: provenance(),
  };
  const errors: string[] = [];
  const load: Record<string, number[]> = {};
  const step = async (what: string, body: () => Promise<void>) => {
    const s = performance.now();
    console.log(`bench: ${what} … (load average ${loadavg()[0]!.toFixed(1)})`);
    try {
      await body();
      load[what] = loadavg();
      console.log(`bench: ${what} done in ${((performance.now() - s) / 1000).toFixed(1)} s`);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      errors.push(`${what}: ${message}`);
      console.error(`bench: ${what} FAILED: ${message}`);
      await stopAllChildren();
    }
  };

  if (options.parts.has('floor'))
    for (const n of options.sizes)
      await step(`floor N=${n}`, async () => {
        floor.set(n, await runFloor(n, options.rounds, options.workers));
      });
  if (options.parts.has('floor'))
    for (const n of options.sizes)
      await step(`crypto floor N=${n}`, async () => {
        cryptoFloor.set(n, await runFloor(n, options.rounds, options.workers, 'crypto'));
      });

  if (options.parts.has('serf'))
    for (const n of options.serfSizes)
      await step(`serf N=${n}`, async () => {
        serf.set(n, await runSerf(n, options.rounds, VERSION));
      });

  const sims = new Map<number, SimResult>();
  const largest = Math.max(...options.sizes);
  if (options.parts.has('sim'))
    for (const n of options.sizes)
      await step(`serfbort hub + ${n} simulated agents`, async () => {
        const sim = await runSim(n, {
          rounds: options.rounds,
          maxWorkers: options.workers,
          storm: options.storm,
          // one database filled to the goal's size is enough: the largest fleet fills it fastest
          seedReceipts: n === largest ? options.seedReceipts : 0,
          ...(options.profileHub ? { profileDir: profileDirFor(startedAt) } : {}),
        });
        sims.set(n, sim);
        if (sim.failure) throw new Error(sim.failure);
      });

  const reals = new Map<number, RealResult>();
  if (options.parts.has('real'))
    for (const n of options.serfSizes)
      await step(`serfbort hub + ${n} real agent processes`, async () => {
        reals.set(n, await runReal(n, options.rounds, VERSION));
      });

  let admission: AdmissionMicroResult | undefined;
  if (options.parts.has('micro'))
    await step('decideAdmission microbenchmark', async () => {
      admission = measureAdmission();
    });

  rows.push(
    ...floorRows(floor),
    ...floorRows(cryptoFloor),
    ...simRows(sims, floor, cryptoFloor),
    ...serfRows(serf),
    ...realRows(reals, serf),
  );
  results.real = Object.fromEntries(reals);
  results.sim = Object.fromEntries(sims);
  results.floor = Object.fromEntries(floor);
  results.cryptoFloor = Object.fromEntries(cryptoFloor);
  results.admission = admission;
  const goals = goalRows({ floor, cryptoFloor, sims, reals, serf, admission });
  results.goals = goals;
  results.serf = Object.fromEntries(serf);
  results.rows = rows;
  results.errors = errors;
  // other work on the machine skews wall times: the 1/5/15-minute load after each step
  results.loadAverageAfterStep = load;
  results.durationMs = performance.now() - t0;

  console.log(`\n${renderTable(rows)}\n`);
  for (const sim of sims.values()) if (sim.profile) console.log(renderProfile(sim.n, sim.profile));
  console.log(`goals (issue 18; event-loop lag: issue 17):\n${renderGoals(goals)}\n`);
  if (errors.length) console.log(`errors:\n  ${errors.join('\n  ')}\n`);
  const markdown = `${renderMarkdown(rows)}\n\n${goalsMarkdown(goals)}`;
  const path = writeResults({ ...results, markdown }, startedAt);
  console.log(`bench: results in ${path} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  if (errors.length) process.exitCode = 1;
}

installCleanup();
let options: BenchOptions;
try {
  options = parseArgs(process.argv.slice(2));
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}
main(options)
  .catch((error: Error) => {
    console.error(`bench: ${error.message}`);
    process.exitCode = 1;
  })
  .finally(() => stopAllChildren());
