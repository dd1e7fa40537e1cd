import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * `X-Serfbort-Signature: v1=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`, with the
 * timestamp (Unix seconds) in `X-Serfbort-Timestamp`: binding the time lets a receiver
 * refuse a captured post replayed later.
 */
export function webhookSignature(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** What a receiver runs (documented in the README); `toleranceS` bounds replays. */
export function verifyWebhookSignature(
  secret: string,
  headers: { timestamp: string | undefined; signature: string | undefined },
  body: string,
  nowS = Math.floor(Date.now() / 1000),
  toleranceS = 300,
): boolean {
  const ts = Number(headers.timestamp);
  if (!Number.isInteger(ts) || Math.abs(nowS - ts) > toleranceS || !headers.signature) return false;
  const wanted = Buffer.from(webhookSignature(secret, ts, body));
  const given = Buffer.from(headers.signature);
  return wanted.length === given.length && timingSafeEqual(wanted, given);
}
