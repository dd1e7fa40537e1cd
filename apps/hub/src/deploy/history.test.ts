import { rmSync } from 'node:fs';
import type { DeploymentStats, DeploymentSummary } from '@serfbort/core';
import { nextCursor } from '@serfbort/core';
import { standardTrust } from '@serfbort/testkit';
import type { OperatorClient } from '@serfbort/testkit/hub';
import { call, connectOperator, createTestDatabase, expectOk } from '@serfbort/testkit/hub';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../db/migrate.js';
import type { DatabaseTarget } from '../db/open.js';
import { openDatabase } from '../db/open.js';
import { deploymentHosts, deployments } from '../db/schema.js';
import { freshDataDir } from '../testing/data-dir.js';
import type { TestHub } from '../testing/test-hub.js';
import { startTestHub } from '../testing/test-hub.js';

/*
 * Server-side history: filters, cursor paging and per-day stats run in the embedded
 * database. Rows are written straight into a fresh data directory (so times and
 * outcomes are exact), then a real hub serves it over the socket and the JSON API.
 */
const trust = standardTrust();
const viewerToken = 'viewer-token-history-0123456789';
const DAY = 86_400_000;
/** noon UTC, 2026-11-01 */
const T0 = Date.UTC(2026, 10, 1, 12);

type HostSeed = { host: string; state: string; reason?: string; receiptAfterMs?: number };
interface Seed {
  id: string;
  app: string;
  version: string;
  by: string;
  at: number;
  hosts: HostSeed[];
}

const ok = (host: string, ms: number): HostSeed => ({
  host,
  state: 'succeeded',
  receiptAfterMs: ms,
});
const seeds: Seed[] = [
  // day 0: web twice (one failed on one host), api once
  {
    id: 'web-d0-a-0001',
    app: 'web',
    version: '1.0.0',
    by: 'alice',
    at: T0,
    hosts: [ok('h1', 1_000), ok('h2', 3_000)],
  },
  {
    id: 'web-d0-b-0002',
    app: 'web',
    version: '1.1.0',
    by: 'bob',
    at: T0 + 60_000,
    hosts: [ok('h1', 2_000), { host: 'h2', state: 'failed', receiptAfterMs: 9_000 }],
  },
  {
    id: 'api-d0-a-0003',
    app: 'api',
    version: '7.0.0',
    by: 'alice',
    at: T0 + 120_000,
    hosts: [ok('h3', 500)],
  },
  // day 1: web three times: one running, one superseded, one expired (a failure: it lapsed)
  {
    id: 'web-d1-a-0004',
    app: 'web',
    version: '1.2.0',
    by: 'carol',
    at: T0 + DAY,
    hosts: [ok('h1', 4_000)],
  },
  {
    id: 'web-d1-b-0005',
    app: 'web',
    version: '1.3.0-rc.1',
    by: 'alice',
    at: T0 + DAY + 1,
    hosts: [{ host: 'h1', state: 'expired', reason: 'SUPERSEDED' }],
  },
  {
    id: 'web-d1-c-0006',
    app: 'web',
    version: '1.3.0',
    by: 'alice',
    at: T0 + DAY + 2,
    hosts: [{ host: 'h2', state: 'expired', reason: 'DEADLINE' }],
  },
  // same submit time as the one before: the cursor must break the tie
  {
    id: 'web-d1-d-0007',
    app: 'web',
    version: '1.4.0',
    by: 'bob',
    at: T0 + DAY + 2,
    hosts: [{ host: 'h1', state: 'running' }, ok('h2', 1_000)],
  },
];

/** Writes the seeds into a migrated database, closed again for the hub to open. */
async function seed(target: DatabaseTarget): Promise<void> {
  const database = await openDatabase(target);
  try {
    await migrate(database.db);
    for (const s of seeds) {
      await database.db.insert(deployments).values({
        requestId: s.id,
        digest: `digest-${s.id}`,
        app: s.app,
        version: s.version,
        target: { hosts: s.hosts.map((h) => h.host) },
        signers: ['k'],
        signerNames: [s.by],
        issuedAt: s.at,
        expiresAt: s.at + 600_000,
        submittedAt: s.at,
        envelope: { payloadType: 'x', payload: 'e30=', signatures: [] },
      });
      for (const h of s.hosts)
        await database.db.insert(deploymentHosts).values({
          requestId: s.id,
          host: h.host,
          app: s.app,
          issuedAt: s.at,
          state: h.state,
          reason: h.reason ?? null,
          output: [],
          receipt:
            h.receiptAfterMs !== undefined
              ? { payloadType: 'x', payload: 'e30=', signatures: [] }
              : null,
          updatedAt: s.at + (h.receiptAfterMs ?? 5),
        });
    }
  } finally {
    await database.close();
  }
}

/** the end of the stats ranges: an hour into day 1 */
const NOW = T0 + DAY + 3_600_000;

const postgres = await createTestDatabase();
if (!postgres)
  console.warn('PostgreSQL at 127.0.0.1:5432 is unreachable: history runs on PGlite only');
afterAll(async () => {
  await postgres?.drop();
});

describe.each([
  {
    storage: 'PGlite',
    target: async (): Promise<DatabaseTarget> => ({ dataDir: await freshDataDir() }),
  },
  ...(postgres
    ? [
        {
          storage: 'PostgreSQL',
          target: async (): Promise<DatabaseTarget> => ({ databaseUrl: postgres.url }),
        },
      ]
    : []),
])('server-side history on $storage', ({ target }) => {
  let hub: TestHub;
  let viewer: OperatorClient;
  let storage: DatabaseTarget | undefined;

  beforeAll(async () => {
    storage = await target();
    await seed(storage);
    hub = await startTestHub({ trust, ...storage, viewerToken });
    viewer = await connectOperator(hub.url, { viewerToken });
  }, 60_000);
  afterAll(async () => {
    viewer?.disconnect();
    await hub?.dispose();
    if (storage && 'dataDir' in storage) rmSync(storage.dataDir, { recursive: true, force: true });
  });

  const list = async (q: Record<string, unknown>) =>
    expectOk(await call<DeploymentSummary[]>(viewer, 'deploy:list', q));
  const ids = (rows: DeploymentSummary[]) => rows.map((r) => r.requestId);
  const api = (path: string, token = viewerToken) =>
    fetch(`${hub.url}${path}`, { headers: { authorization: `Bearer ${token}` } });

  describe('deploy:list filters in the database', () => {
    it('keeps the old query meaning and says each outcome', async () => {
      const all = await list({});
      expect(ids(all)).toEqual([
        'web-d1-d-0007',
        'web-d1-c-0006',
        'web-d1-b-0005',
        'web-d1-a-0004',
        'api-d0-a-0003',
        'web-d0-b-0002',
        'web-d0-a-0001',
      ]);
      expect(Object.fromEntries(all.map((r) => [r.requestId, r.outcome]))).toEqual({
        'web-d1-d-0007': 'running',
        'web-d1-c-0006': 'failed',
        'web-d1-b-0005': 'superseded',
        'web-d1-a-0004': 'succeeded',
        'api-d0-a-0003': 'succeeded',
        'web-d0-b-0002': 'failed',
        'web-d0-a-0001': 'succeeded',
      });
      expect(ids(await list({ app: 'api', limit: 5 }))).toEqual(['api-d0-a-0003']);
      expect(ids(await list({ before: T0 + 120_000 }))).toEqual(['web-d0-b-0002', 'web-d0-a-0001']);
    });

    it('filters by outcome, host, text and time range, combined', async () => {
      expect(ids(await list({ outcome: 'failed' }))).toEqual(['web-d1-c-0006', 'web-d0-b-0002']);
      expect(ids(await list({ host: 'h3' }))).toEqual(['api-d0-a-0003']);
      expect(ids(await list({ host: 'h2', outcome: 'failed' }))).toEqual([
        'web-d1-c-0006',
        'web-d0-b-0002',
      ]);
      // app, version and signer name, case-insensitive; LIKE wildcards are plain text
      expect(ids(await list({ search: 'RC.1' }))).toEqual(['web-d1-b-0005']);
      expect(ids(await list({ search: 'carol' }))).toEqual(['web-d1-a-0004']);
      expect(ids(await list({ search: 'AP' }))).toEqual(['api-d0-a-0003']);
      expect(await list({ search: '%' })).toEqual([]);
      expect(ids(await list({ from: T0 + DAY, to: T0 + DAY + 2, app: 'web' }))).toEqual([
        'web-d1-b-0005',
        'web-d1-a-0004',
      ]);
    });

    it('pages with a cursor that neither skips nor repeats rows with equal times', async () => {
      const seen: string[] = [];
      let cursor: string | undefined;
      for (let i = 0; i < 10; i++) {
        const page = await list({ limit: 2, ...(cursor ? { cursor } : {}) });
        seen.push(...ids(page));
        cursor = nextCursor(page, 2);
        if (!cursor) break;
      }
      expect(seen).toEqual(ids(await list({})));
    });

    it('refuses bad filters with BAD_REQUEST', async () => {
      for (const bad of [
        { outcome: 'exploded' },
        { search: '' },
        { search: 'x'.repeat(101) },
        { host: 'Not A Host' },
        { cursor: "1'; drop table deployments; --" },
        { limit: 501 },
        { days: 3 },
      ]) {
        const ack = await call(viewer, 'deploy:list', bad);
        expect(ack.ok || ack.error.code, JSON.stringify(bad)).toBe('BAD_REQUEST');
      }
    });
  });

  describe('deploy:stats per app per day', () => {
    it('counts deploys and failures and takes duration percentiles in SQL', async () => {
      const stats = expectOk(
        await call<DeploymentStats>(viewer, 'deploy:stats', { days: 2, to: NOW }),
      );
      expect(stats).toMatchObject({ from: '2026-11-01', to: '2026-11-02', truncated: false });
      expect(stats.days).toEqual([
        {
          app: 'api',
          day: '2026-11-01',
          deploys: 1,
          failed: 0,
          succeeded: 1,
          failureRate: 0,
          durationP50: 500,
          durationP95: 500,
        },
        // durations 3 s and 9 s (submit → last receipt): p50 6 s, p95 8.7 s
        {
          app: 'web',
          day: '2026-11-01',
          deploys: 2,
          failed: 1,
          succeeded: 1,
          failureRate: 0.5,
          durationP50: 6_000,
          durationP95: 8_700,
        },
        // running and superseded are not judged; the expired one failed without a receipt
        {
          app: 'web',
          day: '2026-11-02',
          deploys: 4,
          failed: 1,
          succeeded: 1,
          failureRate: 0.5,
          durationP50: 4_000,
          durationP95: 4_000,
        },
      ]);
    });

    it('bounds the range and filters by app', async () => {
      const one = expectOk(
        await call<DeploymentStats>(viewer, 'deploy:stats', { days: 1, app: 'web', to: NOW }),
      );
      expect(one.days.map((d) => `${d.app} ${d.day}`)).toEqual(['web 2026-11-02']);
      const back = expectOk(
        await call<DeploymentStats>(viewer, 'deploy:stats', { days: 1, to: T0 }),
      );
      expect(back.days.map((d) => `${d.app} ${d.day}`)).toEqual([
        'api 2026-11-01',
        'web 2026-11-01',
      ]);
      for (const bad of [{ days: 0 }, { days: 367 }, { app: 'Web' }, { limit: 5 }]) {
        const ack = await call(viewer, 'deploy:stats', bad);
        expect(ack.ok || ack.error.code, JSON.stringify(bad)).toBe('BAD_REQUEST');
      }
    });

    it('needs a hello first', async () => {
      const anon = await connectOperator(hub.url, null);
      try {
        const ack = await call(anon, 'deploy:stats', {});
        expect(ack.ok || ack.error.code).toBe('UNAUTHENTICATED');
      } finally {
        anon.disconnect();
      }
    });
  });

  describe('the viewer JSON API', () => {
    it('serves the same filters, a next-page cursor header, and stats', async () => {
      const res = await api('/api/deployments?app=web&outcome=failed&limit=1');
      expect(res.status).toBe(200);
      expect(ids((await res.json()) as DeploymentSummary[])).toEqual(['web-d1-c-0006']);
      const cursor = res.headers.get('x-next-cursor');
      expect(cursor).toBe(`${T0 + DAY + 2}.web-d1-c-0006`);
      const next = await api(
        `/api/deployments?app=web&outcome=failed&limit=1&cursor=${encodeURIComponent(cursor!)}`,
      );
      expect(ids((await next.json()) as DeploymentSummary[])).toEqual(['web-d0-b-0002']);
      const range = await api(`/api/deployments?search=alice&from=${T0}&to=${T0 + DAY}`);
      expect(ids((await range.json()) as DeploymentSummary[])).toEqual([
        'api-d0-a-0003',
        'web-d0-a-0001',
      ]);
      // the API always capped a large limit; it still does
      expect((await api('/api/deployments?limit=100000')).status).toBe(200);

      const stats = await api(`/api/deployments/stats?app=web&days=2&to=${NOW}`);
      expect(stats.status).toBe(200);
      const body = (await stats.json()) as DeploymentStats;
      expect(body.days.map((d) => [d.day, d.deploys, d.failed])).toEqual([
        ['2026-11-01', 2, 1],
        ['2026-11-02', 4, 1],
      ]);
    });

    it('refuses bad parameters with 400 and a wrong token with 401', async () => {
      for (const path of [
        '/api/deployments?outcome=nope',
        '/api/deployments?from=yesterday',
        '/api/deployments?colour=red',
        '/api/deployments/stats?days=9999',
        '/api/deployments/stats?days=-1',
      ]) {
        const res = await api(path);
        expect(res.status, path).toBe(400);
        const body = (await res.json()) as { error: { code: string; message: string } };
        expect(body.error.code).toBe('BAD_REQUEST');
        expect(body.error.message).not.toMatch(/at .*\.ts/);
      }
      expect((await api('/api/deployments/stats', 'wrong-token-wrong-token-wrong')).status).toBe(
        401,
      );
    });
  });
});
