import type { Envelope, HostHistory } from '@serfbort/core';
import { LIMITS } from '@serfbort/core';
import { and, desc, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import type { Db } from '../db/open.js';
import { agents, deploymentHosts } from '../db/schema.js';

/** numbered receipts first, newest first: a host's v1 receipts predate its chain */
const NEWEST_RECEIPT_FIRST = [
  sql`${deploymentHosts.receiptSeq} desc nulls last`,
  desc(deploymentHosts.updatedAt),
] as const;

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
    .orderBy(...NEWEST_RECEIPT_FIRST)
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

/**
 * `loadHostHistory(db, host, 1)` for many hosts in two queries, answered in the order
 * asked (a host the hub does not know has no receipt and no hello): what `list` and
 * `check` compare with each agent's signed head, without a request per host.
 */
export async function loadHostHeads(db: Db, hosts: readonly string[]): Promise<HostHistory[]> {
  const names = [...new Set(hosts)];
  const [newest, heads] = await Promise.all([
    db
      .selectDistinctOn([deploymentHosts.host], {
        host: deploymentHosts.host,
        receipt: deploymentHosts.receipt,
      })
      .from(deploymentHosts)
      .where(and(inArray(deploymentHosts.host, names), isNotNull(deploymentHosts.receipt)))
      .orderBy(deploymentHosts.host, ...NEWEST_RECEIPT_FIRST),
    db
      .select({ name: agents.name, hello: agents.hello, head: agents.head })
      .from(agents)
      .where(inArray(agents.name, names)),
  ]);
  const receiptOf = new Map(newest.map((r) => [r.host, r.receipt as Envelope]));
  const agentOf = new Map(heads.map((a) => [a.name, a]));
  return hosts.map((host) => {
    const receipt = receiptOf.get(host);
    const agent = agentOf.get(host);
    return {
      host,
      receipts: receipt ? [receipt] : [],
      hello: agent?.hello ?? null,
      head: agent?.head ?? null,
    };
  });
}
