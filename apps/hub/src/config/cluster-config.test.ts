import { describe, expect, it } from 'vitest';
import { parseHubConfig } from './config.js';
import { hubConfigFrom } from './env.js';

describe('cluster configuration', () => {
  it('reads --redis-url / SERFBORT_REDIS_URL and the prefix; the generic REDIS_URL is ignored', () => {
    const db = 'postgres://postgres@127.0.0.1:5432/x';
    expect(
      hubConfigFrom({}, { DATABASE_URL: db, REDIS_URL: 'redis://elsewhere:6379' }).redisUrl,
    ).toBeUndefined();
    const fromEnv = hubConfigFrom(
      {},
      {
        DATABASE_URL: db,
        SERFBORT_REDIS_URL: 'redis://127.0.0.1:6379',
        SERFBORT_REDIS_PREFIX: 'fleet-a',
        SERFBORT_HUB_HEARTBEAT_MS: '2000',
      },
    );
    expect(parseHubConfig(fromEnv)).toMatchObject({
      redisUrl: 'redis://127.0.0.1:6379',
      redisPrefix: 'fleet-a',
      heartbeatMs: 2000,
    });
    expect(
      hubConfigFrom(
        { redisUrl: 'redis://flag:1' },
        { DATABASE_URL: db, SERFBORT_REDIS_URL: 'redis://env:2' },
      ).redisUrl,
    ).toBe('redis://flag:1');
  });

  it('refuses Redis without PostgreSQL, and a prefix with odd characters', () => {
    expect(() => parseHubConfig({ dataDir: '/tmp/x', redisUrl: 'redis://127.0.0.1:6379' })).toThrow(
      /database URL/,
    );
    expect(() =>
      parseHubConfig({
        databaseUrl: 'postgres://h/db',
        redisUrl: 'redis://127.0.0.1:6379',
        redisPrefix: 'a b',
      }),
    ).toThrow(/redisPrefix/);
    expect(parseHubConfig({ dataDir: '/tmp/x' }).redisPrefix).toBe('serfbort');
  });
});
