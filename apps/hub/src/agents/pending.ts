import type { AgentAuth } from '@serfbort/core';
import type { SQL } from 'drizzle-orm';
import { asc, count, eq, inArray, lt } from 'drizzle-orm';
import { pendingAgents } from '../db/schema.js';
import type { Tx, WriteContext } from '../db/write-queue.js';

/** How many keys may wait for approval, and for how long (config.admission). */
export interface PendingCaps {
  perAddress: number;
  total: number;
  ttlMs: number;
}

/** Rows forgotten to make room, by the bound that forgot them (for /metrics). */
export interface Evicted {
  expired: number;
  address: number;
  total: number;
}

/**
 * Records a key that awaits approval. A flood of made-up keys must not lock genuine
 * agents out: rows past their lifetime go first, then, if the sender's address or the
 * whole list is at its cap, the rows heard from least recently (a genuine pending agent
 * says hello again each time it reconnects, so it stays young).
 */
export async function recordPending(
  tx: Tx,
  p: { hello: AgentAuth; keyId: string; source: string; now: number },
  caps: PendingCaps,
): Promise<Evicted> {
  const expired = await tx
    .delete(pendingAgents)
    .where(lt(pendingAgents.lastSeen, p.now - caps.ttlMs))
    .returning({ keyId: pendingAgents.keyId });
  const evicted: Evicted = { expired: expired.length, address: 0, total: 0 };
  const [known] = await tx
    .select({ keyId: pendingAgents.keyId })
    .from(pendingAgents)
    .where(eq(pendingAgents.keyId, p.keyId));
  if (!known) {
    evicted.address = await makeRoom(tx, eq(pendingAgents.source, p.source), caps.perAddress);
    evicted.total = await makeRoom(tx, undefined, caps.total);
  }
  const row = {
    name: p.hello.host,
    publicKey: p.hello.publicKey,
    labels: p.hello.labels,
    apps: p.hello.apps,
    agentVersion: p.hello.agentVersion,
    lastSeen: p.now,
    source: p.source,
  };
  await tx
    .insert(pendingAgents)
    .values({ keyId: p.keyId, firstSeen: p.now, ...row })
    .onConflictDoUpdate({ target: pendingAgents.keyId, set: row });
  return evicted;
}

/** Forgets the least recently heard rows matching `where` until one more fits under `cap`. */
async function makeRoom(tx: Tx, where: SQL | undefined, cap: number): Promise<number> {
  const [counted] = await tx.select({ n: count() }).from(pendingAgents).where(where);
  const over = Number(counted?.n ?? 0) - cap + 1;
  if (over <= 0) return 0;
  const oldest = tx
    .select({ keyId: pendingAgents.keyId })
    .from(pendingAgents)
    .where(where)
    .orderBy(asc(pendingAgents.lastSeen), asc(pendingAgents.keyId))
    .limit(over);
  const gone = await tx
    .delete(pendingAgents)
    .where(inArray(pendingAgents.keyId, oldest))
    .returning({ keyId: pendingAgents.keyId });
  return gone.length;
}

/** Pending keys that stopped saying hello are forgotten (at start, then on each new one). */
export async function prunePending(
  { tx }: WriteContext,
  now: number,
  ttlMs: number,
): Promise<void> {
  await tx.delete(pendingAgents).where(lt(pendingAgents.lastSeen, now - ttlMs));
}
