/** Command-line flags of `npm run bench -- [flags]`, validated in one place. */
export interface BenchOptions {
  quick: boolean;
  /** which parts run: floor, serf, sim, real */
  parts: Set<Part>;
  /** N for the floor and the simulated agents */
  sizes: number[];
  /** N for Serf and the real agents */
  serfSizes: number[];
  rounds: number;
  /** load-generator worker processes at most */
  workers: number;
  /** write a CPU profile of the hub process to bench/results/ */
  profileHub: boolean;
  /** another hub bundle than apps/hub/dist/serfbort-hub.mjs */
  hubBundle: string | undefined;
  /** another agent bundle than apps/agent/dist/serfbort-agent.mjs */
  agentBundle: string | undefined;
  /** restart the hub under the simulated fleet (skipped by --quick unless --storm) */
  storm: boolean;
  /** at the largest N, fill the hub's database to this many receipts and measure it idle (0: skip) */
  seedReceipts: number;
}

export const PARTS = ['floor', 'serf', 'sim', 'real', 'micro'] as const;
export type Part = (typeof PARTS)[number];

const USAGE = `usage: npm run bench -- [--quick] [--only floor,serf,sim,real,micro] [--n 100,1000,10000]
                       [--serf-n 30,100] [--rounds 5] [--workers 3] [--profile-hub] [--storm|--no-storm]
                       [--seed-receipts 100000]
                       [--hub-bundle path/to/serfbort-hub.mjs] [--agent-bundle path/to/serfbort-agent.mjs]`;

function numbers(flag: string, text: string | undefined): number[] {
  const values = (text ?? '').split(',').map(Number);
  if (values.length === 0 || values.some((v) => !Number.isInteger(v) || v < 1 || v > 20_000))
    throw new Error(
      `${flag}: expected comma-separated whole numbers 1..20000, got '${text}'\n${USAGE}`,
    );
  return values;
}

function receiptCount(text: string | undefined): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0 || value > 1_000_000)
    throw new Error(`--seed-receipts: expected a whole number 0..1000000, got '${text}'\n${USAGE}`);
  return value;
}

export function parseArgs(argv: readonly string[]): BenchOptions {
  const quick = argv.includes('--quick');
  const options: BenchOptions = {
    quick,
    parts: new Set(PARTS),
    // quick: a smoke run of every part in under two minutes on a busy 2-core machine
    sizes: quick ? [100] : [100, 1000, 10_000],
    serfSizes: quick ? [10] : [30, 100],
    rounds: quick ? 3 : 5,
    workers: 3,
    profileHub: false,
    storm: !quick,
    // the goal is stated for 100,000 receipts; quick has no time for them
    seedReceipts: quick ? 0 : 100_000,
    hubBundle: undefined,
    agentBundle: undefined,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = () => argv[++i];
    if (flag === '--quick') continue;
    else if (flag === '--profile-hub') options.profileHub = true;
    else if (flag === '--storm') options.storm = true;
    else if (flag === '--hub-bundle') options.hubBundle = value();
    else if (flag === '--agent-bundle') options.agentBundle = value();
    else if (flag === '--no-storm') options.storm = false;
    else if (flag === '--seed-receipts') options.seedReceipts = receiptCount(value());
    else if (flag === '--only') {
      const parts = (value() ?? '').split(',');
      const unknown = parts.filter((p) => !(PARTS as readonly string[]).includes(p));
      if (unknown.length) throw new Error(`--only: unknown part '${unknown[0]}'\n${USAGE}`);
      options.parts = new Set(parts as Part[]);
    } else if (flag === '--n') options.sizes = numbers(flag, value());
    else if (flag === '--serf-n') options.serfSizes = numbers(flag, value());
    else if (flag === '--rounds') [options.rounds] = numbers(flag, value()) as [number];
    else if (flag === '--workers') [options.workers] = numbers(flag, value()) as [number];
    else if (flag === '--help' || flag === '-h') throw new Error(USAGE);
    else throw new Error(`unknown flag '${flag}'\n${USAGE}`);
  }
  if (options.rounds < 5 && !quick) console.warn('bench: fewer than 5 rounds; medians are weak');
  if (options.rounds < 3) throw new Error('--rounds: at least 3');
  return options;
}
