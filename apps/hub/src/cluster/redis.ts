import type { Logger } from 'pino';
import type { createClient } from 'redis';
import type { Server } from 'socket.io';

// the adapter reads XREAD replies in the RESP2 shape
const newClient = (create: typeof createClient, url: string, socket: object) =>
  create({ url, RESP: 2, socket });
export type RedisClient = ReturnType<typeof newClient>;

/** ms a start waits for Redis before giving up with a clear error */
const CONNECT_TIMEOUT_MS = 10_000;

/**
 * One Redis client for this node. It reconnects forever with a capped backoff: an
 * outage slows fan-out between hubs, never stops this hub (the database is the truth).
 */
export async function connectRedis(url: string, log: Logger): Promise<RedisClient> {
  // loaded only by a hub in a cluster: the client and its adapter are ~20 MB resident
  const { createClient } = await import('redis');
  const client = newClient(createClient, url, {
    connectTimeout: 3_000,
    reconnectStrategy: (retries: number) => Math.min(50 * 2 ** Math.min(retries, 5), 1_000),
  });
  let down = false;
  client.on('error', (err: unknown) => {
    // one line per outage, not one per retry; the URL (it may hold a password) is never logged
    if (!down)
      log.warn({ err: err instanceof Error ? err.message : String(err) }, 'redis unreachable');
    down = true;
  });
  client.on('ready', () => {
    if (down) log.info('redis reachable again');
    down = false;
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      client.connect(),
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`redis did not answer within ${CONNECT_TIMEOUT_MS} ms`)),
          CONNECT_TIMEOUT_MS,
        );
      }),
    ]);
  } catch (err) {
    client.destroy();
    throw err;
  } finally {
    clearTimeout(timer);
  }
  return client;
}

/**
 * Both namespaces fan out through Redis streams under this fleet's prefix: a
 * broadcast on one hub reaches the sockets of every hub.
 */
export async function attachAdapter(
  io: Server,
  client: RedisClient,
  prefix: string,
): Promise<void> {
  const { createAdapter } = await import('@socket.io/redis-streams-adapter');
  // the adapter (0.3.1) fires PUBLISH for server-side events without awaiting it: one in
  // flight when Redis goes away rejected unhandled and killed the hub. The rejection is
  // still seen by anyone who awaits; it just no longer goes unhandled.
  const publish = client.publish.bind(client);
  (client as { publish: typeof publish }).publish = (...args: Parameters<typeof publish>) => {
    const sent = publish(...args);
    sent.catch(() => undefined);
    return sent;
  };
  io.adapter(
    createAdapter(client as never, {
      streamName: `${prefix}:stream`,
      channelPrefix: `${prefix}:channel`,
      sessionKeyPrefix: `${prefix}:session:`,
      // one XREAD block at most this long: a closing hub is not held up for 5 s
      blockTimeInMs: 1_000,
    }),
  );
}

/** Redis answers a PING within the time given. */
export async function redisAnswers(client: RedisClient, timeoutMs = 1_000): Promise<boolean> {
  if (!client.isReady) return false;
  let timer: NodeJS.Timeout | undefined;
  try {
    const pong = await Promise.race([
      client.ping(),
      new Promise<string>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), timeoutMs);
      }),
    ]);
    return pong === 'PONG';
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
