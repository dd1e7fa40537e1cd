import { sql } from 'drizzle-orm';
import type { Db } from '../db/open.js';

/** A node that missed this many beats is dead: its agents are marked lost. */
export const MISSED_BEATS = 3;

type Rows<T> = { rows: T[] };

/**
 * Records this node's beat. Returns false when the row was gone (another node found
 * us dead during a long stall and marked our agents lost), so the caller can say
 * which agents it still holds.
 */
export async function beat(
  db: Db,
  node: string,
  now: number,
  heartbeatMs: number,
): Promise<boolean> {
  const expiresAt = now + heartbeatMs * MISSED_BEATS;
  const updated = (await db.execute(sql`
    update hub_nodes set last_beat = ${now}, expires_at = ${expiresAt}
    where node = ${node} returning node`)) as unknown as Rows<{ node: string }>;
  if (updated.rows.length > 0) return true;
  await db.execute(sql`
    insert into hub_nodes (node, started_at, last_beat, expires_at)
    values (${node}, ${now}, ${now}, ${expiresAt})
    on conflict (node) do update set last_beat = excluded.last_beat, expires_at = excluded.expires_at`);
  return false;
}

/**
 * Forgets nodes whose beat expired and marks `lost` every host still shown online
 * on a node that is not alive (dead, unknown, or none). Several hubs may do this at
 * once: the statements are idempotent.
 */
export async function reapDeadNodes(db: Db, self: string, now: number): Promise<string[]> {
  return db.transaction(async (tx) => {
    const dead = (await tx.execute(sql`
      delete from hub_nodes where expires_at < ${now} and node <> ${self}
      returning node`)) as unknown as Rows<{ node: string }>;
    const lost = (await tx.execute(sql`
      update agents set presence = 'lost'
      where presence = 'online' and (hub_node is null or (hub_node <> ${self}
        and hub_node not in (select node from hub_nodes where expires_at >= ${now})))
      returning name`)) as unknown as Rows<{ name: string }>;
    void dead;
    return lost.rows.map((r) => r.name);
  });
}

/**
 * At start, this node holds no connection yet: hosts recorded online on this node
 * name (a previous run of it) are lost. Hosts of other live nodes are left alone.
 */
export async function forgetOwnConnections(db: Db, self: string): Promise<void> {
  await db.execute(sql`
    update agents set presence = 'lost' where presence = 'online' and hub_node = ${self}`);
}

/** After a stall made others think this node was dead: the hosts it still holds are online here. */
export async function reclaimHosts(
  db: Db,
  self: string,
  held: { host: string; connection: string }[],
  now: number,
): Promise<void> {
  if (held.length === 0) return;
  const rows = JSON.stringify(held.map((h) => ({ name: h.host, connection: h.connection })));
  await db.execute(sql`
    update agents as a set presence = 'online', hub_node = ${self}, connection = v.connection,
      last_seen = ${now}
    from (select * from jsonb_to_recordset(${rows}::jsonb) as r(name text, connection text)
      limit ${held.length}) as v
    where a.name = v.name
      and (a.hub_node is null or a.hub_node = ${self} or a.presence <> 'online')`);
}

/** A node that stops on purpose takes its row with it. */
export async function leaveCluster(db: Db, self: string): Promise<void> {
  await db.execute(sql`delete from hub_nodes where node = ${self}`);
}
