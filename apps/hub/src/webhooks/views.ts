import { sql } from 'drizzle-orm';
import type { Db } from '../db/open.js';

export interface WebhookDeliveryView {
  id: number;
  event: string;
  type: string;
  endpoint: string;
  status: 'pending' | 'sending' | 'delivered' | 'failed';
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: number;
  deliveredAt: number | null;
  nextAt: number | null;
}

const STATUSES = ['pending', 'sending', 'delivered', 'failed'] as const;
export const isDeliveryStatus = (s: string): s is WebhookDeliveryView['status'] =>
  (STATUSES as readonly string[]).includes(s);

/** The delivery log, newest first: what was posted where, and what is still being retried. */
export async function listDeliveries(
  db: Db,
  q: { limit: number; status?: WebhookDeliveryView['status']; type?: string },
): Promise<WebhookDeliveryView[]> {
  const rows = (await db.execute(sql`
    select id, event_key, type, endpoint, status, attempts, last_status, last_error, created_at,
      delivered_at, next_at from webhook_deliveries
    where (${q.status ?? null}::text is null or status = ${q.status ?? null})
      and (${q.type ?? null}::text is null or type = ${q.type ?? null})
    order by id desc limit ${q.limit}`)) as unknown as {
    rows: {
      id: string | number;
      event_key: string;
      type: string;
      endpoint: string;
      status: WebhookDeliveryView['status'];
      attempts: number;
      last_status: number | null;
      last_error: string | null;
      created_at: string | number;
      delivered_at: string | number | null;
      next_at: string | number;
    }[];
  };
  return rows.rows.map((r) => ({
    id: Number(r.id),
    event: r.event_key,
    type: r.type,
    endpoint: r.endpoint,
    status: r.status,
    attempts: r.attempts,
    lastStatus: r.last_status,
    lastError: r.last_error,
    createdAt: Number(r.created_at),
    deliveredAt: r.delivered_at === null ? null : Number(r.delivered_at),
    nextAt: r.status === 'pending' ? Number(r.next_at) : null,
  }));
}

/** Deliveries not yet delivered nor given up, for the backlog gauge. */
export async function backlog(db: Db): Promise<number> {
  const rows = (await db.execute(
    sql`select count(*)::int as n from webhook_deliveries where status in ('pending', 'sending')`,
  )) as unknown as { rows: { n: number }[] };
  return rows.rows[0]?.n ?? 0;
}
