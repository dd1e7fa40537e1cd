import { HUB_LIMITS } from '../hub-limits.js';
import type { Db } from './open.js';

export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export type AuditKind =
  | 'trust'
  | 'deploy'
  | 'approval'
  | 'enrollment-grant'
  | 'enrollment'
  | 'receipt'
  | 'rollout'
  | 'lock-release'
  | 'proposal';

/** Appends to the hash-chained audit log inside one write transaction (audit/audit-writer.ts). */
export interface AuditAppender {
  append(kind: AuditKind, body: unknown): Promise<void>;
  /** writes what was appended, at the end of the batch */
  flush(): Promise<void>;
}

export interface WriteContext {
  tx: Tx;
  audit: AuditAppender;
}

interface Job {
  fn: (w: WriteContext) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for every write: jobs run one after another inside one transaction,
 * so there is one commit per batch instead of one per receipt, and audit appends are
 * serialized. Jobs must be database-only (side effects after the promise resolves),
 * because a failed batch is rolled back and its jobs re-run one per transaction.
 */
export class WriteQueue {
  private jobs: Job[] = [];
  private flushing: Promise<void> | undefined;

  constructor(
    private readonly db: Db,
    /** the audit log's writer for one transaction: the chain is not storage's to know */
    private readonly openAudit: (tx: Tx) => AuditAppender,
  ) {}

  run<T>(fn: (w: WriteContext) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.jobs.push({ fn, resolve: resolve as (v: unknown) => void, reject });
      this.flushing ??= this.drain();
    });
  }

  /** Resolves once every queued job has settled. */
  async idle(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  private async drain(): Promise<void> {
    while (this.jobs.length > 0) {
      // let jobs submitted in the same tick join the batch, and let sockets be read
      // between batches: an embedded database runs on this thread and must not starve I/O
      await yieldToIo();
      const batch = this.jobs.splice(0, HUB_LIMITS.writeBatchJobs);
      try {
        const { results, done } = await this.attempt(batch, true);
        for (let i = 0; i < done; i++) batch[i]!.resolve(results[i]);
        // jobs left out when the batch ran out of time go first in the next one
        this.jobs.unshift(...batch.slice(done));
      } catch (error) {
        if (batch.length === 1) batch[0]!.reject(error);
        // one bad job must not fail its neighbours: re-run each on its own
        else
          for (const job of batch)
            await this.attempt([job], false).then(
              ({ results }) => job.resolve(results[0]),
              job.reject,
            );
      }
    }
    this.flushing = undefined;
  }

  /** Runs jobs in one transaction; with `timed`, stops after the batch's time budget (at least one job). */
  private attempt(batch: Job[], timed: boolean): Promise<{ results: unknown[]; done: number }> {
    return this.db.transaction(async (tx) => {
      const started = performance.now();
      const audit = this.openAudit(tx);
      const results: unknown[] = [];
      for (const job of batch) {
        results.push(await job.fn({ tx, audit }));
        if (timed && performance.now() - started >= HUB_LIMITS.writeBatchMs) break;
      }
      await audit.flush();
      return { results, done: results.length };
    });
  }
}

const yieldToIo = () => new Promise<void>((r) => setImmediate(r));

interface Waiting<I, O> {
  item: I;
  resolve: (o: O) => void;
  reject: (e: unknown) => void;
}

/**
 * Items submitted while the previous batch was being written (a fleet's
 * acknowledgements, progress, receipts, hellos, disconnects) are written by one job
 * with one statement, at most `HUB_LIMITS.rowsPerStatement` per job; each caller gets
 * its own item's result. One job in flight per batcher: the busier the hub, the larger
 * the batches, and an idle hub writes on the next tick.
 */
export class TickBatcher<I, O> {
  private waiting: Waiting<I, O>[] = [];
  private busy = false;

  constructor(
    private readonly writes: WriteQueue,
    private readonly store: (w: WriteContext, items: I[]) => Promise<O[]>,
  ) {}

  add(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      if (this.waiting.length === 1 && !this.busy) setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    if (this.busy || this.waiting.length === 0) return;
    this.busy = true;
    const chunk = this.waiting.splice(0, HUB_LIMITS.rowsPerStatement);
    this.writes
      .run((w) =>
        this.store(
          w,
          chunk.map((c) => c.item),
        ),
      )
      .then(
        (outcomes) => {
          for (const [j, c] of chunk.entries()) c.resolve(outcomes[j]!);
        },
        (error: unknown) => {
          for (const c of chunk) c.reject(error);
        },
      )
      .finally(() => {
        this.busy = false;
        if (this.waiting.length > 0) setImmediate(() => this.flush());
      });
  }
}
