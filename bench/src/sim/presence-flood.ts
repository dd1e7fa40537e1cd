/** What one flooding socket saw: every report it sent, and how the hub answered. */
export interface FloodCounts {
  type: 'flood-done';
  sent: number;
  stored: number;
  rateLimited: number;
  /** other refusals and ack timeouts */
  failed: number;
}

export type PresenceAnswer = 'stored' | 'rate-limited' | 'failed';

/**
 * Sends presence reports for `ms` as fast as the hub answers, `window` in flight:
 * the hub's per-socket and per-key token buckets decide how many it stores, the
 * rest it must still read, parse and refuse. Bounded by time and by `maxSends`.
 */
export async function floodPresence(
  send: () => Promise<PresenceAnswer>,
  ms: number,
  window = 32,
  maxSends = 200_000,
): Promise<FloodCounts> {
  const counts: FloodCounts = { type: 'flood-done', sent: 0, stored: 0, rateLimited: 0, failed: 0 };
  const deadline = performance.now() + ms;
  const lane = async () => {
    while (performance.now() < deadline && counts.sent < maxSends) {
      counts.sent++;
      const answer = await send();
      if (answer === 'stored') counts.stored++;
      else if (answer === 'rate-limited') counts.rateLimited++;
      else counts.failed++;
    }
  };
  await Promise.all(Array.from({ length: window }, lane));
  return counts;
}
