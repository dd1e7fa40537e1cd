import type { AuditRow } from '@serfbort/core';
import { canonicalBytes, GENESIS_HASH, rowHash, utf8Decode } from '@serfbort/core';
import { desc, sql } from 'drizzle-orm';
import { auditLog } from '../db/schema.js';
import type { AuditAppender, AuditKind, Tx } from '../db/write-queue.js';

/** Arbitrary constant: hubs sharing PostgreSQL append to the chain one at a time. */
const AUDIT_LOCK = 7_700_002;

/**
 * Appends inside one write transaction. The chain head is read once, under a
 * transaction-scoped lock, the first time a row is added; rows are inserted together
 * at the end of the batch (group commit).
 */
export class AuditWriter implements AuditAppender {
  private head: { seq: number; hash: string } | undefined;
  private readonly rows: AuditRow[] = [];

  constructor(
    private readonly tx: Tx,
    private readonly now: () => number,
  ) {}

  async append(kind: AuditKind, body: unknown): Promise<void> {
    if (!this.head) {
      await this.tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_LOCK})`);
      const [last] = await this.tx
        .select({ seq: auditLog.seq, hash: auditLog.hash })
        .from(auditLog)
        .orderBy(desc(auditLog.seq))
        .limit(1);
      this.head = last ?? { seq: 0, hash: GENESIS_HASH };
    }
    const partial = {
      seq: this.head.seq + 1,
      at: this.now(),
      kind,
      body: utf8Decode(canonicalBytes(body)),
      prevHash: this.head.hash,
    };
    const row = { ...partial, hash: rowHash(partial) };
    this.rows.push(row);
    this.head = { seq: row.seq, hash: row.hash };
  }

  async flush(): Promise<void> {
    if (this.rows.length === 0) return;
    await this.tx.insert(auditLog).values(this.rows.splice(0));
  }
}
