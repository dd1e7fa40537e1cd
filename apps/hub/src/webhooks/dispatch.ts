import { sql } from 'drizzle-orm';
import { HUB_VERSION } from '../config/version.js';
import type { WebhookEndpoint, WebhooksConfig } from '../config/webhooks.js';
import { endpointName } from '../config/webhooks.js';
import type { WriteQueue } from '../db/write-queue.js';
import { webhookSignature } from './sign.js';

/** How many posts one tick may have in flight; the rest wait for the next tick. */
const CLAIM = 20;
/** a claimed delivery whose hub died mid-post is taken up again after this */
const LEASE_MS = 60_000;
const HOUR = 3_600_000;

interface Claimed {
  id: number;
  event_key: string;
  type: string;
  endpoint: string;
  attempts: number;
  body: Record<string, unknown>;
}

export type PostResult =
  | { ok: true; status: number }
  | { ok: false; status: number | null; error: string };

/** Exponential backoff with full jitter, so a fleet of failed posts does not retry in step. */
export function nextDelay(config: WebhooksConfig, attempts: number, random = Math.random): number {
  const ceiling = Math.min(HOUR, config.retryBaseMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

async function post(
  endpoint: WebhookEndpoint,
  claimed: Claimed,
  hubId: string,
  timeoutMs: number,
  now: number,
): Promise<PostResult> {
  const body = JSON.stringify({
    id: claimed.event_key,
    type: claimed.type,
    hubId,
    data: claimed.body,
  });
  const timestamp = Math.floor(now / 1000);
  try {
    const res = await fetch(endpoint.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': `serfbort-hub/${HUB_VERSION}`,
        'x-serfbort-event': claimed.type,
        'x-serfbort-delivery': claimed.event_key,
        'x-serfbort-timestamp': String(timestamp),
        'x-serfbort-signature': webhookSignature(endpoint.secret, timestamp, body),
      },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    // drain it: a receiver's reply is not ours to keep, but an unread body holds the socket
    await res.arrayBuffer().catch(() => undefined);
    if (res.status >= 200 && res.status < 300) return { ok: true, status: res.status };
    return { ok: false, status: res.status, error: `answered ${res.status}` };
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    const why =
      e.name === 'TimeoutError'
        ? `no answer within ${timeoutMs} ms`
        : (e.cause?.code ?? e.message ?? 'post failed');
    return { ok: false, status: null, error: why };
  }
}

export interface DispatchDeps {
  writes: WriteQueue;
  config: WebhooksConfig;
  hubId: string;
  now: () => number;
  onResult(endpoint: string, result: 'delivered' | 'retry' | 'failed'): void;
}

/** Posts what is due; a failure is retried with backoff until `maxAttempts`, then marked failed. */
export async function dispatchDue(deps: DispatchDeps): Promise<number> {
  const { writes, config } = deps;
  const byName = new Map(config.endpoints.map((e) => [endpointName(e), e]));
  const now = deps.now();
  const claimed = await writes.run(async ({ tx }) => {
    const rows = (await tx.execute(sql`
      update webhook_deliveries as w set status = 'sending', lease_until = ${now + LEASE_MS},
        attempts = w.attempts + 1
      from webhook_events e
      where e.key = w.event_key and w.id in (
        select id from webhook_deliveries
        where (status = 'pending' and next_at <= ${now}) or (status = 'sending' and lease_until < ${now})
        order by next_at limit ${CLAIM} for update skip locked)
      returning w.id, w.event_key, w.type, w.endpoint, w.attempts, e.body`)) as unknown as {
      rows: Claimed[];
    };
    return rows.rows;
  });
  await Promise.all(
    claimed.map(async (c) => {
      const endpoint = byName.get(c.endpoint);
      const result: PostResult = endpoint
        ? await post(endpoint, c, deps.hubId, config.timeoutMs, deps.now())
        : { ok: false, status: null, error: 'endpoint no longer configured' };
      const done = deps.now();
      const giveUp = !result.ok && (!endpoint || c.attempts >= config.maxAttempts);
      const status = result.ok ? 'delivered' : giveUp ? 'failed' : 'pending';
      await writes.run(({ tx }) =>
        tx.execute(sql`
          update webhook_deliveries set status = ${status}, lease_until = null,
            last_status = ${result.status}, last_error = ${result.ok ? null : result.error},
            delivered_at = ${result.ok ? done : null},
            next_at = ${result.ok || giveUp ? done : done + nextDelay(config, c.attempts)}
          where id = ${c.id}`),
      );
      deps.onResult(c.endpoint, result.ok ? 'delivered' : giveUp ? 'failed' : 'retry');
    }),
  );
  return claimed.length;
}
