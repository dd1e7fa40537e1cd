import { rooms } from '@serfbort/core';
import { sql } from 'drizzle-orm';
import type { HubContext } from '../hub-context.js';

interface Delivery {
  requestId: string;
  host: string;
}

const queues = new WeakMap<HubContext, Delivery[]>();

/**
 * Marks hosts `delivered` when their agent acknowledged the request. A fan-out to a
 * large fleet brings thousands of acknowledgements at once, so those of one tick are
 * written with one UPDATE (only rows still pending: never backward).
 */
export function markDelivered(ctx: HubContext, delivery: Delivery): void {
  let queue = queues.get(ctx);
  if (!queue) {
    queue = [];
    queues.set(ctx, queue);
  }
  queue.push(delivery);
  if (queue.length === 1) setImmediate(() => flush(ctx));
}

function flush(ctx: HubContext): void {
  const batch = queues.get(ctx)?.splice(0) ?? [];
  if (batch.length === 0) return;
  const now = ctx.now();
  // one jsonb parameter however many acknowledgements: thousands of bind parameters break PGlite
  const pairs = JSON.stringify(batch.map((d) => ({ request_id: d.requestId, host: d.host })));
  const work = ctx.writes
    .run(async ({ tx }) => {
      const result = (await tx.execute(sql`
        update deployment_hosts as d set state = 'delivered', updated_at = ${now}
        from jsonb_to_recordset(${pairs}::jsonb) as p(request_id text, host text)
        where d.state = 'pending' and d.request_id = p.request_id and d.host = p.host
        returning d.request_id, d.host`)) as unknown as {
        rows: { request_id: string; host: string }[];
      };
      return result.rows;
    })
    .then((rows) => {
      for (const r of rows) {
        ctx.operators.to(rooms.deployment(r.request_id)).emit('deploy:update', {
          requestId: r.request_id,
          host: { host: r.host, state: 'delivered', updatedAt: now },
        });
      }
    })
    .catch((err: unknown) =>
      ctx.log.error(
        { err: err instanceof Error ? err.message : String(err) },
        'marking deliveries failed',
      ),
    );
  ctx.track(work);
}
