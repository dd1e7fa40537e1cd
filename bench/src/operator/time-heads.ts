import { LIMITS } from '@serfbort/core';
import { type Summary, summarize } from '../common/stats.js';
import { call, type OperatorSocket } from './operator-session.js';

/** What `list` and `check` fetch to compare each host's signed head: every host, batched or not. */
export interface HeadsTiming {
  hosts: number;
  /** `hosts:heads`, `LIMITS.headsPerRequest` hosts a request, 4 requests in flight (the CLI's way) */
  batchedMs: Summary;
  /**
   * `hosts:history` with a limit of 1 per host, 16 in flight (the way before `hosts:heads`),
   * for the first `perHostHosts` hosts only: a socket's message budget (50 a second, 200 at
   * once) refuses more, which is why `list` now batches
   */
  perHostHosts: number;
  perHostMs: Summary;
}

/** hosts asked one by one: within one socket's burst of messages */
const PER_HOST_SAMPLE = 100;
/** the socket's budget refills at 50 a second: wait for it before each per-host round */
const REFILL_MS = 4_000;

const chunks = <T>(items: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) =>
    items.slice(i * size, (i + 1) * size),
  );

async function inFlight<T>(
  items: readonly T[],
  parallel: number,
  each: (t: T) => Promise<unknown>,
) {
  for (const group of chunks(items, parallel)) await Promise.all(group.map(each));
}

async function timed(body: () => Promise<void>): Promise<number> {
  const t0 = performance.now();
  await body();
  return performance.now() - t0;
}

/** Times fetching every host's newest receipt and heads both ways, `rounds` times each. */
export async function timeHeads(
  operator: OperatorSocket,
  names: readonly string[],
  rounds = 3,
): Promise<HeadsTiming> {
  const sample = names.slice(0, PER_HOST_SAMPLE);
  const batched: number[] = [];
  const perHost: number[] = [];
  for (let r = 0; r < rounds; r++) {
    batched.push(
      await timed(() =>
        inFlight(chunks(names, LIMITS.headsPerRequest), 4, (hosts) =>
          call(operator, 'hosts:heads', [{ hosts }]),
        ),
      ),
    );
    await new Promise((r) => setTimeout(r, REFILL_MS));
    perHost.push(
      await timed(() =>
        inFlight(sample, 16, (host) => call(operator, 'hosts:history', [{ host, limit: 1 }])),
      ),
    );
    await new Promise((r) => setTimeout(r, REFILL_MS));
  }
  return {
    hosts: names.length,
    batchedMs: summarize(batched),
    perHostHosts: sample.length,
    perHostMs: summarize(perHost),
  };
}
