import type { Envelope, HostHistory } from '@serfbort/core';
import { LIMITS } from '@serfbort/core';
import { and, desc, eq, isNotNull, sql } from 'drizzle-orm';
import type { Db } from '../db/open.js';
import { agents, deploymentHosts } from '../db/schema.js';

/**
 * A host's newest receipts, oldest first in chain order (v1 receipts, which have no
 * number, by time before them), its agent's last signed hello and its newest signed receipt-head statement. The client verifies
 * all of it; this only saves it from asking for every deployment.
 */
export async function loadHostHistory(
  db: Db,
  host: string,
  limit: number = LIMITS.historyReceipts,
): Promise<HostHistory> {
  const rows = await db
    .select({ receipt: deploymentHosts.receipt })
    .from(deploymentHosts)
    .where(and(eq(deploymentHosts.host, host), isNotNull(deploymentHosts.receipt)))
    // numbered receipts first, newest first: a host's v1 receipts predate its chain
    .orderBy(sql`${deploymentHosts.receiptSeq} desc nulls last`, desc(deploymentHosts.updatedAt))
    .limit(limit);
  const [agent] = await db
    .select({ hello: agents.hello, head: agents.head })
    .from(agents)
    .where(eq(agents.name, host));
  return {
    host,
    receipts: rows.map((r) => r.receipt as Envelope).reverse(),
    hello: agent?.hello ?? null,
    head: agent?.head ?? null,
  };
}
