import { rooms } from '@serfbort/core';
import { sql } from 'drizzle-orm';
import type { WriteContext } from '../db/write-queue.js';
import { TickBatcher } from '../db/write-queue.js';
import type { HubBase } from '../hub-context.js';
import type { Delivery, DeliveryMarks } from '../hub-services.js';

const key = (d: Delivery) => `${d.requestId}\u0000${d.host}`;

/** Returns, for each delivery, whether it moved the host from pending to delivered. */
async function storeDeliveries({ tx }: WriteContext, batch: Delivery[], now: number) {
  // one jsonb parameter however many acknowledgements: thousands of bind parameters break PGlite
  const pairs = JSON.stringify(batch.map((d) => ({ request_id: d.requestId, host: d.host })));
  const result = (await tx.execute(sql`
    update deployment_hosts as d set state = 'delivered', updated_at = ${now}
    from jsonb_to_recordset(${pairs}::jsonb) as p(request_id text, host text)
    where d.state = 'pending' and d.request_id = p.request_id and d.host = p.host
    returning d.request_id, d.host`)) as unknown as {
    rows: { request_id: string; host: string }[];
  };
  const moved = new Set(result.rows.map((r) => key({ requestId: r.request_id, host: r.host })));
  // a host acknowledged twice in one batch is told once
  return batch.map((d) => moved.delete(key(d)));
}

/**
 * Marks hosts `delivered` when their agent acknowledged the request. A fan-out to a
 * large fleet brings thousands of acknowledgements at once, so those of one tick are
 * written with one UPDATE (only rows still pending: never backward).
 */
export class DeliveryMarkBatches implements DeliveryMarks {
  private readonly batcher: TickBatcher<Delivery, boolean>;

  constructor(
    private readonly ctx: Pick<HubBase, 'writes' | 'now' | 'operators' | 'log' | 'track'>,
  ) {
    this.batcher = new TickBatcher(ctx.writes, (w, batch: Delivery[]) =>
      storeDeliveries(w, batch, ctx.now()),
    );
  }

  mark(delivery: Delivery): void {
    const { ctx } = this;
    const work = this.batcher
      .add(delivery)
      .then((moved) => {
        if (!moved) return;
        ctx.operators.to(rooms.deployment(delivery.requestId)).emit('deploy:update', {
          requestId: delivery.requestId,
          host: { host: delivery.host, state: 'delivered', updatedAt: ctx.now() },
        });
      })
      .catch((err: unknown) =>
        ctx.log.error(
          { err: err instanceof Error ? err.message : String(err) },
          'marking deliveries failed',
        ),
      );
    ctx.track(work);
  }
}
