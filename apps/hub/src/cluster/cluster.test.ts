import { randomBytes } from 'node:crypto';
import type { AuditVerdict, DeploymentView, DeploymentUpdate, Envelope, KeyPair } from '@serfbort/core';
import { key, signDeploy, signKeyring, standardTrust } from '@serfbort/testkit';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import type { OperatorClient, TestAgent } from '../testing/clients.js';
import {
  call,
  connectAgent,
  connectOperator,
  expectOk,
  nextEvent,
  signApproval,
} from '../testing/clients.js';
import type { HubProcess } from '../testing/hub-process.js';
import { reachable, spawnHub } from '../testing/hub-process.js';
import type { TestDatabase } from '../testing/postgres.js';
import { createTestDatabase } from '../testing/postgres.js';
import { signReceipt } from '../testing/receipts.js';
import { publishTrust } from '../testing/test-hub.js';

const SHARED_REDIS = 'redis://127.0.0.1:6379';
const available = (await reachable('127.0.0.1', 5432)) && (await reachable('127.0.0.1', 6379));
if (!available)
  console.warn(
    'cluster tests SKIPPED: they need PostgreSQL on 127.0.0.1:5432 and Redis on 127.0.0.1:6379',
  );

const trust = standardTrust();
const op = trust.operatorKey;

interface Cluster {
  db: TestDatabase;
  prefix: string;
  hubs: HubProcess[];
  sockets: { disconnect(): void }[];
}
let current: Cluster | undefined;

afterEach(async () => {
  const c = current;
  current = undefined;
  if (!c) return;
  for (const s of c.sockets) s.disconnect();
  await Promise.all(c.hubs.map((h) => h.kill()));
  await c.db.drop();
});

/** Two (or more) hub processes on one fresh database and a per-test Redis prefix. */
async function startCluster(
  names: string[],
  opts: { redisUrl?: string; heartbeatMs?: number } = {},
): Promise<Cluster & { env: (node: string) => Record<string, string> }> {
  const db = await createTestDatabase();
  if (!db) throw new Error('PostgreSQL went away');
  const prefix = `serfbort-test-${randomBytes(6).toString('hex')}`;
  const env = (node: string) => ({
    DATABASE_URL: db.url,
    SERFBORT_REDIS_URL: opts.redisUrl ?? SHARED_REDIS,
    SERFBORT_REDIS_PREFIX: prefix,
    SERFBORT_HUB_NODE: node,
    SERFBORT_HUB_HEARTBEAT_MS: String(opts.heartbeatMs ?? 1_000),
  });
  const c: Cluster = { db, prefix, hubs: [], sockets: [] };
  current = c;
  // the first hub migrates; the others start together
  c.hubs.push(await spawnHub(env(names[0]!)));
  c.hubs.push(...(await Promise.all(names.slice(1).map((n) => spawnHub(env(n))))));
  return { ...c, env };
}

function track<T extends { disconnect(): void }>(s: T): T {
  current?.sockets.push(s);
  return s;
}

async function operator(url: string, k: KeyPair = op): Promise<OperatorClient> {
  return track(await connectOperator(url, { key: k }));
}

async function approve(session: OperatorClient, agents: { name: string; key: KeyPair }[]) {
  for (const a of agents)
    expectOk(await call(session, 'agents:approve', signApproval(op, a.key, a.name)));
}

async function agent(url: string, name: string, k: KeyPair, labels: Record<string, string>) {
  const a = await connectAgent(url, { key: k, name, labels, apps: ['shop', 'blog'] });
  track(a.socket);
  expect(a.status).toBe('approved');
  return a;
}

async function query<T>(url: string, text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, values)).rows as T[];
  } finally {
    await client.end();
  }
}

/** Resolves when every listed host of the deployment reached a final state on this watcher. */
function finals(session: OperatorClient, requestId: string, hosts: string[], timeoutMs = 20_000) {
  const seen = new Map<string, string>();
  return new Promise<Map<string, string>>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`finals for ${requestId}: only ${[...seen.keys()]}`)),
      timeoutMs,
    );
    session.on('deploy:update', (u: DeploymentUpdate) => {
      if (u.requestId !== requestId || !u.host.receipt) return;
      seen.set(u.host.host, u.host.state);
      if (hosts.every((h) => seen.has(h))) {
        clearTimeout(timer);
        resolve(seen);
      }
    });
  });
}

async function answer(a: TestAgent, name: string, k: KeyPair, request: Envelope) {
  return expectOk(
    await call<{ stored: boolean }>(a.socket, 'deploy:receipt', signReceipt(k, name, request)),
  );
}

async function auditOf(url: string): Promise<AuditVerdict> {
  const s = await operator(url);
  const v = expectOk(await call<AuditVerdict>(s, 'audit:verify'));
  s.disconnect();
  return v;
}

const receiptRows = (dbUrl: string, requestId: string) =>
  query<{ n: number }>(
    dbUrl,
    `select count(*)::int as n from audit_log where kind = 'receipt' and body like $1`,
    [`%${requestId}%`],
  ).then((r) => r[0]!.n);

describe.skipIf(!available)('several hubs on PostgreSQL and Redis', () => {
  it('a deploy submitted on hub A reaches exactly the matching agents on both hubs; receipts stored once, seen from both', async () => {
    const c = await startCluster(['node-a', 'node-b']);
    const [A, B] = c.hubs as [HubProcess, HubProcess];
    await publishTrust(A.url, trust);
    const opA = await operator(A.url);
    const spec = [
      { name: 'web-a1', key: key(900), labels: { role: 'web' }, hub: A },
      { name: 'web-a2', key: key(901), labels: { role: 'web' }, hub: A },
      { name: 'db-a1', key: key(902), labels: { role: 'db' }, hub: A },
      { name: 'web-b1', key: key(903), labels: { role: 'web' }, hub: B },
      { name: 'web-b2', key: key(904), labels: { role: 'web' }, hub: B },
      { name: 'db-b1', key: key(905), labels: { role: 'db' }, hub: B },
    ];
    await approve(opA, spec);
    const agents = new Map<string, TestAgent>();
    for (const s of spec) agents.set(s.name, await agent(s.hub.url, s.name, s.key, s.labels));
    // hub B shows every host online, each on the node that holds it
    const opB = await operator(B.url);
    const hosts = expectOk(
      await call<{ name: string; state: string; hub?: string }[]>(opB, 'hosts:list', {}),
    );
    expect(hosts.map((h) => [h.name, h.state, h.hub])).toEqual(
      [...spec]
        .sort((x, y) => x.name.localeCompare(y.name))
        .map((s) => [s.name, 'online', s.hub.node]),
    );

    const deploy = signDeploy({ app: 'shop', version: 'v1', target: { selector: 'role=web' } }, [
      op,
    ]);
    const web = spec.filter((s) => s.labels.role === 'web');
    expectOk(await call(opA, 'deploy:submit', deploy.envelope));
    // an operator on hub B watches live progress of a deploy submitted on hub A
    expectOk(await call(opB, 'deploy:watch', { requestId: deploy.request.id }));
    const done = finals(
      opB,
      deploy.request.id,
      web.map((s) => s.name),
    );
    for (const s of web) {
      const a = agents.get(s.name)!;
      await a.waitForRequests(1, 15_000);
      expect(await answer(a, s.name, s.key, a.requests[0]!)).toEqual({ stored: true });
      // a resend (after a reconnect, say) is harmless
      expect(await answer(a, s.name, s.key, a.requests[0]!)).toEqual({ stored: true });
    }
    expect([...(await done).values()]).toEqual(web.map(() => 'succeeded'));
    for (const s of spec)
      expect(agents.get(s.name)!.requests.length).toBe(s.labels.role === 'web' ? 1 : 0);
    for (const hub of [A, B]) {
      const s = await operator(hub.url);
      const view = expectOk(
        await call<DeploymentView>(s, 'deploy:watch', { requestId: deploy.request.id }),
      );
      expect(view.hosts.map((h) => [h.host, h.state, h.receipt !== undefined])).toEqual(
        web
          .map((w) => w.name)
          .sort()
          .map((n) => [n, 'succeeded', true]),
      );
      s.disconnect();
    }
    expect(await receiptRows(c.db.url, deploy.request.id)).toBe(web.length);
    expect(await auditOf(B.url)).toMatchObject({ ok: true });
  });
});
