import type { AuditHead, AuditRow } from '@serfbort/core';
import { GENESIS_HASH, LIMITS } from '@serfbort/core';
import { asc, desc, gt } from 'drizzle-orm';
import type { Db } from '../db/open.js';
import { auditLog } from '../db/schema.js';

/** The chain's newest row, which clients remember between sessions. */
export async function auditHead(db: Db): Promise<AuditHead> {
  const [last] = await db
    .select({ seq: auditLog.seq, hash: auditLog.hash })
    .from(auditLog)
    .orderBy(desc(auditLog.seq))
    .limit(1);
  return last ?? { seq: 0, hash: GENESIS_HASH };
}

/** A page of rows after `after`, for a client that verifies the chain itself. */
export async function auditRows(
  db: Db,
  after: number,
  limit: number = LIMITS.auditRowsPerPage,
): Promise<AuditRow[]> {
  return db
    .select()
    .from(auditLog)
    .where(gt(auditLog.seq, after))
    .orderBy(asc(auditLog.seq))
    .limit(limit);
}
