import type { FloorResult } from '../floor/run-floor.js';
import type { AdmissionMicroResult } from '../micro/admission-micro.js';
import type { RealResult } from '../real/run-real.js';
import type { SerfResult } from '../serf/run-serf.js';
import type { SimResult } from '../sim/run-sim.js';

/** Everything one run measured, keyed by N: what the goals are read from. */
export interface Measured {
  floor: ReadonlyMap<number, FloorResult>;
  cryptoFloor: ReadonlyMap<number, FloorResult>;
  sims: ReadonlyMap<number, SimResult>;
  reals: ReadonlyMap<number, RealResult>;
  serf: ReadonlyMap<number, SerfResult>;
  admission: AdmissionMicroResult | undefined;
}

/** A figure as read from a run: its value, the N it was taken at, and what it was compared to. */
export interface Reading {
  value: number;
  n?: number;
  /** e.g. "787 ms vs 74.8 ms", so a ratio's parts stay visible */
  detail?: string;
  /** why this reading does not test the goal (e.g. fewer receipts stored than it names) */
  shortOf?: string;
}

/** The entry at `at` when it ran, else the largest N that ran (a goal then reads "not measured at …"). */
export function atOrLargest<T>(map: ReadonlyMap<number, T>, at?: number): [number, T] | undefined {
  if (at !== undefined && map.has(at)) return [at, map.get(at)!];
  const largest = Math.max(...map.keys());
  return Number.isFinite(largest) ? [largest, map.get(largest)!] : undefined;
}

/** The restarted hub's figure when the storm ran (cleaner), else the first hub's. */
export function rssPerAgent(s: SimResult): number {
  return s.storm
    ? (s.storm.rssAllBackBytes - s.storm.rssReadyBytes) / s.n
    : s.memory.rssPerAgentBytes;
}
