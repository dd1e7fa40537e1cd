import { sql } from 'drizzle-orm';
import { deliverPending } from '../deploy/deliver.js';
import type { HubContext } from '../hub-context.js';

type Rows<T> = { rows: T[] };

/**
 * Redis is a hint: a deploy announced while it was down never reached this hub. The
 * database knows what is still pending for the hosts connected here, so every beat
 * (and when Redis comes back) those hosts get it, unless it is already in flight.
 */
export async function sweepPending(ctx: HubContext): Promise<number> {
  if (ctx.sessions.size === 0) return 0;
  const now = ctx.now();
  const inFlightMs = ctx.config.relayAckTimeoutMs * 2;
  const cutoff = performance.now() - inFlightMs;
  ctx.deliveries.forgetSentBefore(cutoff);
  const rows = (await ctx.db.execute(sql`
    select dh.request_id, dh.host from deployment_hosts dh
    join agents a on a.name = dh.host
    join deployments d on d.request_id = dh.request_id
    where dh.state = 'pending' and a.hub_node = ${ctx.config.nodeName} and d.expires_at > ${now}`)) as unknown as Rows<{
    request_id: string;
    host: string;
  }>;
  const due = new Set<string>();
  for (const r of rows.rows) {
    const at = ctx.deliveries.lastSent(r.request_id, r.host);
    if (at === undefined || at < cutoff) due.add(r.host);
  }
  for (const host of due) {
    const socket = ctx.sessions.get(host);
    if (socket) await deliverPending(ctx, socket, host);
  }
  return due.size;
}
