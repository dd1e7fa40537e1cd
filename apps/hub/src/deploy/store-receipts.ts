import type { AnyReceipt, Envelope } from '@serfbort/core';
import { sql } from 'drizzle-orm';
import type { WriteContext } from '../db/write-queue.js';

export interface ReceiptToStore {
  requestId: string;
  host: string;
  receipt: AnyReceipt;
  envelope: Envelope;
  receiptDigest: string;
  at: number;
}

export type StoreOutcome = 'stored' | 'duplicate' | 'not-targeted';

const key = (r: { requestId: string; host: string }) => `${r.requestId}\u0000${r.host}`;

/**
 * Stores a batch of verified receipts with one UPDATE (only rows without a receipt yet:
 * idempotent on (request id, host)) and one SELECT to tell resends from strangers.
 * The hot path of a large fleet: statements per batch, not per receipt.
 */
export async function storeReceipts(
  { tx, audit }: WriteContext,
  items: readonly ReceiptToStore[],
): Promise<StoreOutcome[]> {
  const firstOf = new Map<string, ReceiptToStore>();
  for (const item of items) if (!firstOf.has(key(item))) firstOf.set(key(item), item);
  const unique = [...firstOf.values()];
  // one jsonb parameter however large the batch: thousands of bind parameters break PGlite
  const rows = JSON.stringify(
    unique.map((i) => ({
      request_id: i.requestId,
      host: i.host,
      state: i.receipt.status,
      reason: i.receipt.reason ?? null,
      exit_code: i.receipt.exitCode,
      version_before: i.receipt.versionBefore,
      version_after: i.receipt.versionAfter,
      receipt: i.envelope,
      receipt_seq: 'seq' in i.receipt ? i.receipt.seq : null,
      receipt_prev: 'seq' in i.receipt ? i.receipt.prev : null,
      updated_at: i.at,
    })),
  );
  const updated = (await tx.execute(sql`
    update deployment_hosts as d
    set state = v.state, reason = v.reason, exit_code = v.exit_code, version_before = v.version_before,
        version_after = v.version_after, receipt = v.receipt, receipt_seq = v.receipt_seq,
        receipt_prev = v.receipt_prev, updated_at = v.updated_at
    from jsonb_to_recordset(${rows}::jsonb) as v(request_id text, host text, state text, reason text,
      exit_code int, version_before text, version_after text, receipt jsonb, receipt_seq bigint,
      receipt_prev text, updated_at bigint)
    where d.request_id = v.request_id and d.host = v.host and d.receipt is null
    returning d.request_id, d.host`)) as unknown as {
    rows: { request_id: string; host: string }[];
  };
  const stored = new Set(updated.rows.map((r) => key({ requestId: r.request_id, host: r.host })));
  const rest = unique.filter((i) => !stored.has(key(i)));
  const existing = new Set<string>();
  if (rest.length > 0) {
    const pairs = JSON.stringify(rest.map((i) => ({ request_id: i.requestId, host: i.host })));
    const found = (await tx.execute(
      sql`select d.request_id, d.host from deployment_hosts d
        join jsonb_to_recordset(${pairs}::jsonb) as p(request_id text, host text)
          on d.request_id = p.request_id and d.host = p.host`,
    )) as unknown as {
      rows: { request_id: string; host: string }[];
    };
    for (const r of found.rows) existing.add(key({ requestId: r.request_id, host: r.host }));
  }
  for (const i of unique) {
    if (stored.has(key(i)))
      await audit.append('receipt', {
        requestId: i.requestId,
        host: i.host,
        status: i.receipt.status,
        receiptDigest: i.receiptDigest,
      });
  }
  return items.map((i) => {
    if (firstOf.get(key(i)) !== i) return 'duplicate';
    if (stored.has(key(i))) return 'stored';
    return existing.has(key(i)) ? 'duplicate' : 'not-targeted';
  });
}
