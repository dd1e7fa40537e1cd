import type { AuditVerdict } from '@serfbort/core';
import { ChainWalker } from '@serfbort/core';
import { asc, gt } from 'drizzle-orm';
import type { Db } from '../db/open.js';
import { auditLog } from '../db/schema.js';
import { HUB_LIMITS } from '../hub-limits.js';

/** Walks the whole chain and names the first row that does not verify. */
export async function verifyAuditChain(db: Db): Promise<AuditVerdict> {
  const walker = new ChainWalker();
  let after = 0;
  for (;;) {
    const rows = await db
      .select()
      .from(auditLog)
      .where(gt(auditLog.seq, after))
      .orderBy(asc(auditLog.seq))
      .limit(HUB_LIMITS.auditPageRows);
    for (const row of rows) walker.push(row);
    if (rows.length < HUB_LIMITS.auditPageRows) break;
    after = rows.at(-1)!.seq;
  }
  return walker.verdict();
}
