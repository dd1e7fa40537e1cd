import { migrate } from '../db/migrate.js';
import type { DatabaseTarget } from '../db/open.js';
import { openDatabase } from '../db/open.js';
import { verifyAuditChain } from './verify.js';

/** `serfbort-hub audit verify`: exit 0 when the chain verifies, 1 naming the first broken row. */
export async function auditVerifyCommand(target: DatabaseTarget, json: boolean): Promise<number> {
  const database = await openDatabase(target);
  try {
    await migrate(database.db);
    const verdict = await verifyAuditChain(database.db);
    if (json) console.log(JSON.stringify(verdict));
    else if (verdict.ok)
      console.log(
        `audit chain OK: ${verdict.rows} rows${verdict.headHash ? `, head ${verdict.headHash}` : ''}`,
      );
    else console.log(`audit chain BROKEN at row ${verdict.firstBroken} (of ${verdict.rows} rows)`);
    return verdict.ok ? 0 : 1;
  } finally {
    await database.close();
  }
}
