import { AuditWriter } from '../audit/audit-writer.js';
import { HUB_LIMITS } from '../hub-limits.js';
import type { Db } from './open.js';

export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export interface WriteContext {
  tx: Tx;
  audit: AuditWriter;
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
    private readonly now: () => number,
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
    // let jobs submitted in the same tick join the first batch
    await new Promise<void>((r) => setImmediate(r));
    while (this.jobs.length > 0) {
      const batch = this.jobs.splice(0, HUB_LIMITS.writeBatchJobs);
      try {
        const results = await this.attempt(batch);
        for (const [i, job] of batch.entries()) job.resolve(results[i]);
      } catch (error) {
        if (batch.length === 1) batch[0]!.reject(error);
        // one bad job must not fail its neighbours: re-run each on its own
        else
          for (const job of batch)
            await this.attempt([job]).then(([r]) => job.resolve(r), job.reject);
      }
    }
    this.flushing = undefined;
  }

  private attempt(batch: Job[]): Promise<unknown[]> {
    return this.db.transaction(async (tx) => {
      const audit = new AuditWriter(tx, this.now);
      const results: unknown[] = [];
      for (const job of batch) results.push(await job.fn({ tx, audit }));
      await audit.flush();
      return results;
    });
  }
}
