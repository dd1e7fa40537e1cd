import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { forkWorker, stopChild } from './children.js';
import { nextMessage } from './wait.js';

export interface WorkerPool {
  workers: ChildProcess[];
  /** agents per worker, in order */
  shares: number[];
  close(): Promise<void>;
}

/** Splits n over at most `max` workers, at least `minEach` per worker. */
export function shareOut(n: number, max: number, minEach = 250): number[] {
  const count = Math.max(1, Math.min(max, Math.ceil(n / minEach)));
  return Array.from({ length: count }, (_, i) => Math.floor(n / count) + (i < n % count ? 1 : 0));
}

export function modulePath(relativeToSrc: string): string {
  return fileURLToPath(new URL(`../${relativeToSrc}`, import.meta.url));
}

type Ready = { type: 'ready' } & Record<string, unknown>;
const isReady = (m: unknown): m is Ready =>
  typeof m === 'object' && m !== null && (m as { type?: string }).type === 'ready';

/** Forks the workers; each gets its share and index as arguments, and must send {type:'ready'}. */
export async function startWorkers(
  module: string,
  shares: number[],
  argsFor: (share: number, index: number, offset: number) => string[],
  readyMs: number,
): Promise<{ pool: WorkerPool; ready: Ready[] }> {
  let offset = 0;
  const workers = shares.map((share, i) => {
    const worker = forkWorker(modulePath(module), argsFor(share, i, offset));
    offset += share;
    worker.on('message', (m: { type?: string; message?: string }) => {
      if (m.type === 'failed') console.error(`bench: worker ${i} failed: ${m.message}`);
    });
    return worker;
  });
  const pool: WorkerPool = {
    workers,
    shares,
    close: async () => {
      for (const w of workers) if (w.connected) w.send({ type: 'close' });
      await Promise.all(workers.map((w) => stopChild(w, 3000)));
    },
  };
  try {
    const ready = await Promise.all(
      workers.map((w, i) => nextMessage(w, isReady, readyMs, `worker ${i} ready`)),
    );
    return { pool, ready };
  } catch (error) {
    await pool.close();
    throw error;
  }
}

/** Connections per second over the whole ramp: first connect started → last connect done. */
export function connectWindowMs(ready: readonly Record<string, unknown>[]): number {
  const starts = ready.map((r) => Number(r.connectStart));
  const ends = ready.map((r) => Number(r.connectEnd));
  return Math.max(...ends) - Math.min(...starts);
}

/** Sends {type: request} to every worker and collects each one's next {type: reply}. */
export function askAll<T>(
  pool: WorkerPool,
  request: string,
  reply: string,
  ms = 10_000,
): Promise<T[]> {
  const accept = (m: unknown): m is T => (m as { type?: string })?.type === reply;
  return Promise.all(
    pool.workers.map((w, i) => {
      const answer = nextMessage(w, accept, ms, `worker ${i} ${reply}`);
      w.send({ type: request });
      return answer;
    }),
  );
}
