import { sql } from 'drizzle-orm';
import type { Tx } from '../db/write-queue.js';
import { HUB_LIMITS } from '../hub-limits.js';

export interface PendingHosts {
  requestId: string;
  app: string;
  issuedAt: number;
  now: number;
  hosts: readonly string[];
}

/**
 * One `pending` row per targeted host. The names go in as one jsonb parameter per
 * statement: a fleet of 10,000 would otherwise be 80,000 bind parameters, built and
 * bound one by one by the query builder.
 */
export async function insertPendingHosts(tx: Tx, p: PendingHosts): Promise<void> {
  for (let i = 0; i < p.hosts.length; i += HUB_LIMITS.rowsPerStatement * 10) {
    const names = JSON.stringify(p.hosts.slice(i, i + HUB_LIMITS.rowsPerStatement * 10));
    await tx.execute(sql`
      insert into deployment_hosts (request_id, host, app, issued_at, state, output, updated_at)
      select ${p.requestId}, h.name, ${p.app}, ${p.issuedAt}, 'pending', '[]'::jsonb, ${p.now}
      from jsonb_array_elements_text(${names}::jsonb) as h(name)`);
  }
}
