import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventuallyAsync } from '@serfbort/testkit/agent';
import { errorCode } from '@serfbort/testkit/cli';
import type { HubProcess, TestDatabase } from '@serfbort/testkit/hub';
import { createTestDatabase, spawnHub } from '@serfbort/testkit/hub';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectOk, Fleet, trustedFleet } from '../cli/fleet.js';
import { TcpProxy } from '../support/tcp-proxy.js';

const VIEWER_TOKEN = 'viewer-token-storage-outage';

/** Holds every deploy until the test drops a `gate` file, so receipts are signed while the database is away. */
const GATED_DEPLOY = `import { existsSync, readFileSync, writeFileSync } from 'node:fs';
const [app, version] = process.argv.slice(2);
writeFileSync('started-' + version, '');
const deadline = Date.now() + 60_000;
while (!existsSync('gate') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
writeFileSync('current-' + app, version);
`;

/** The hub bundle on its own PostgreSQL database, reached through a proxy the test can cut. */
class PostgresFleet extends Fleet {
  hub: HubProcess | undefined;
  constructor(readonly databaseUrl: string) {
    super();
  }
  override async startHub(): Promise<void> {
    this.hub = await spawnHub({
      DATABASE_URL: this.databaseUrl,
      SERFBORT_VIEWER_TOKEN: VIEWER_TOKEN,
    });
    this.hubUrl = this.hub.url;
  }
}

const database: TestDatabase | undefined = await createTestDatabase();
if (!database)
  console.warn('PostgreSQL at 127.0.0.1:5432 is unreachable: skipping the outage drill');

describe.skipIf(!database)('PostgreSQL cut off under a running hub', () => {
  const proxy = new TcpProxy(5432);
  let fleet: PostgresFleet;
  const home = (agent: string) => join(fleet.dir, 'agents', agent);
  const hosts = ['weba', 'webb'];

  beforeAll(async () => {
    await proxy.start();
    const url = new URL(database!.url);
    url.port = String(proxy.port);
    fleet = new PostgresFleet(url.toString());
    // a deferred receipt is resent on the next presence tick: keep the drill short
    fleet.agentExtra = { presenceInterval: '1s' };
    await trustedFleet(fleet, hosts);
  }, 120_000);

  afterAll(async () => {
    await fleet?.hub?.stop();
    await fleet?.close();
    await proxy.cut();
    await database?.drop();
  });

  it('names the outage STORAGE_UNAVAILABLE (CLI exit 3, API 503) and loses no receipt', async () => {
    for (const h of hosts) writeFileSync(join(home(h), 'deploy.mjs'), GATED_DEPLOY);
    expectOk(
      await fleet.cli('alice', ['deploy', 'shop', 'v2', '-l', 'role=web', '--yes', '--no-wait']),
      'deploy v2',
    );
    await eventuallyAsync(
      async () => hosts.every((h) => existsSync(join(home(h), 'started-v2'))),
      20_000,
    );

    await proxy.cut();
    // both hosts finish while the database is away: their receipts wait on the agents' disks
    for (const h of hosts) writeFileSync(join(home(h), 'gate'), '');
    await eventuallyAsync(
      async () => hosts.every((h) => readFileSync(join(home(h), 'current-shop'), 'utf8') === 'v2'),
      20_000,
    );

    const refused = await fleet.cli('alice', ['deploy', 'shop', 'v3', '-l', 'role=web', '--yes']);
    expect(errorCode(refused), refused.stderr).toBe('STORAGE_UNAVAILABLE');
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/retry/);

    const api = await fetch(`${fleet.hubUrl}/api/deployments`, {
      headers: { authorization: `Bearer ${VIEWER_TOKEN}` },
    });
    expect(api.status).toBe(503);
    expect(api.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(((await api.json()) as { error: { code: string } }).error.code).toBe(
      'STORAGE_UNAVAILABLE',
    );

    await proxy.start();
    const rows = async () => {
      const client = new pg.Client({ connectionString: database!.url });
      await client.connect();
      try {
        const hostsRows = await client.query<{ host: string; state: string; signed: boolean }>(
          `select host, state, receipt is not null as signed from deployment_hosts
           where app = 'shop' order by host`,
        );
        const audit = await client.query<{ n: string }>(
          `select count(*) as n from audit_log where kind = 'receipt'`,
        );
        return { hosts: hostsRows.rows, receipts: Number(audit.rows[0]!.n) };
      } finally {
        await client.end();
      }
    };
    await eventuallyAsync(async () => (await rows()).hosts.every((r) => r.signed), 30_000);
    const after = await rows();
    // 0 lost: both hosts' signed receipts stored; 0 duplicated: one audit row each
    expect(after.hosts).toEqual(hosts.map((host) => ({ host, state: 'succeeded', signed: true })));
    expect(after.receipts).toBe(2);
    // the hub is whole again: the same deploy the outage refused now goes through
    expectOk(await fleet.cli('alice', ['deploy', 'shop', 'v3', '-l', 'role=web', '--yes']), 'v3');
  }, 120_000);
});
