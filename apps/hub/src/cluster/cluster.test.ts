import { randomBytes } from 'node:crypto';
import type {
  AuditVerdict,
  CheckResult,
  DeploymentUpdate,
  DeploymentView,
  Envelope,
  KeyPair,
} from '@serfbort/core';
import { fromBase64, PAYLOAD_TYPES, pae, signPayload, toBase64 } from '@serfbort/core';
import { nodeSigner } from '@serfbort/node';
import { key, signDeploy, signKeyring, standardTrust } from '@serfbort/testkit';
import type { HubProcess, OperatorClient, TestAgent, TestDatabase } from '@serfbort/testkit/hub';
import {
  call,
  connectAgent,
  connectOperator,
  createTestDatabase,
  expectOk,
  nextEvent,
  publishTrust,
  reachable,
  signApproval,
  signReceipt,
  spawnHub,
  startOwnRedis,
} from '@serfbort/testkit/hub';
import pg from 'pg';
import { createClient } from 'redis';
import { afterEach, describe, expect, it } from 'vitest';

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
  redisUrl: string;
  hubs: HubProcess[];
  sockets: { disconnect(): void }[];
}
let current: Cluster | undefined;

afterEach(async () => {
  const c = current;
  current = undefined;
  if (!c) return;
  for (const s of c.sockets) s.disconnect();
  if (process.env.SERFBORT_TEST_HUB_LOGS) {
    for (const h of c.hubs) console.log(h.node, h.lines.join('\n'), h.stderr());
    const { execSync } = await import('node:child_process');
    console.log(
      execSync(
        `ps -o pid,pcpu,stat,etime -p ${c.hubs.map((h) => h.child.pid).join(',')}`,
      ).toString(),
    );
    for (const h of c.hubs)
      console.log(
        h.node,
        await fetch(`${h.url}/readyz`, { signal: AbortSignal.timeout(2000) })
          .then((r) => r.text())
          .catch((e) => String(e)),
      );
  }
  await Promise.all(c.hubs.map((h) => h.kill()));
  await c.db.drop();
  await dropStream(c.redisUrl, c.prefix);
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
  const c: Cluster = {
    db,
    prefix,
    redisUrl: opts.redisUrl ?? SHARED_REDIS,
    hubs: [],
    sockets: [],
  };
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

// separate processes on a loaded 2-core machine: generous bounds, each test still ends on its own
describe.skipIf(!available)('several hubs on PostgreSQL and Redis', { timeout: 90_000 }, () => {
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

    // check:run from hub B asks hosts on both hubs; each answer verifies with the host's key
    for (const s of spec)
      agents.get(s.name)!.socket.on('check:run', (q, cb) =>
        cb(
          signPayload(
            PAYLOAD_TYPES.checkAnswer,
            {
              type: 'check-answer',
              checkId: q.checkId,
              host: s.name,
              app: q.app,
              configured: true,
              version: 'v1',
              at: Date.now(),
            },
            [nodeSigner(s.key)],
          ),
        ),
      );
    const check = expectOk(
      await call<CheckResult>(opB, 'check:run', {
        app: 'shop',
        target: { selector: 'role=web' },
        timeoutMs: 5_000,
      }),
    );
    expect(check.unreachable).toEqual([]);
    expect(check.answers).toHaveLength(web.length);
  });

  it('hub A SIGKILLed mid-deploy: its agents move to hub B, receipts arrive once, the chain verifies, its idle agents become lost', async () => {
    const c = await startCluster(['node-a', 'node-b']);
    const [A, B] = c.hubs as [HubProcess, HubProcess];
    await publishTrust(A.url, trust);
    const opA = await operator(A.url);
    const web = [
      { name: 'web-a1', key: key(910), hub: A },
      { name: 'web-a2', key: key(911), hub: A },
      { name: 'web-b1', key: key(912), hub: B },
    ];
    const late = { name: 'web-late', key: key(913) };
    const idle = { name: 'idle-a1', key: key(914) };
    await approve(opA, [...web, late, idle]);
    const agents = new Map<string, TestAgent>();
    for (const s of web) agents.set(s.name, await agent(s.hub.url, s.name, s.key, { role: 'web' }));
    // web-late said hello once (so it has its labels) and went away: it is offline for the deploy
    (await agent(B.url, late.name, late.key, { role: 'web' })).socket.disconnect();
    await agent(A.url, idle.name, idle.key, { role: 'idle' });
    const opB = await operator(B.url);
    expectOk(await call(opB, 'hosts:subscribe'));
    const idleLost = new Promise<void>((resolve) => {
      opB.on('hosts:changed', (h: { name: string; state: string }) => {
        if (h.name === idle.name && h.state === 'lost') resolve();
      });
    });

    const deploy = signDeploy({ app: 'shop', version: 'v2', target: { selector: 'role=web' } }, [
      op,
    ]);
    expectOk(await call(opA, 'deploy:submit', deploy.envelope));
    for (const s of web) await agents.get(s.name)!.waitForRequests(1, 15_000);
    await A.kill();

    // the agents of hub A reconnect to hub B (their second URL) and send their receipts there
    for (const s of web) {
      const old = agents.get(s.name)!;
      const now = s.hub === A ? await agent(B.url, s.name, s.key, { role: 'web' }) : old;
      expect(await answer(now, s.name, s.key, old.requests[0]!)).toEqual({ stored: true });
    }
    // the host that was offline gets its pending request from the database on hub B
    const back = await agent(B.url, late.name, late.key, { role: 'web' });
    await back.waitForRequests(1, 15_000);
    expect(await answer(back, late.name, late.key, back.requests[0]!)).toEqual({ stored: true });

    const view = expectOk(
      await call<DeploymentView>(opB, 'deploy:watch', { requestId: deploy.request.id }),
    );
    expect(view.hosts.map((h) => [h.host, h.state])).toEqual(
      ['web-a1', 'web-a2', 'web-b1', 'web-late'].map((n) => [n, 'succeeded']),
    );
    for (const s of web) expect(agents.get(s.name)!.requests.length).toBe(1);
    expect(back.requests.length).toBe(1);
    expect(await receiptRows(c.db.url, deploy.request.id)).toBe(4);
    expect(await auditOf(B.url)).toMatchObject({ ok: true });
    // hub A stopped beating: hub B marks the host still recorded on it lost
    await idleLost;
    const nodes = await query<{ node: string }>(
      c.db.url,
      'select node from hub_nodes order by node',
    );
    expect(nodes.map((n) => n.node)).toEqual(['node-b']);
  });

  it('Redis stopped during a deploy and started again: nothing lost, nothing doubled', async () => {
    const redis = await startOwnRedis();
    try {
      const c = await startCluster(['node-a', 'node-b'], { redisUrl: redis.url });
      const [A, B] = c.hubs as [HubProcess, HubProcess];
      await publishTrust(A.url, trust);
      const opA = await operator(A.url);
      const spec = [
        { name: 'r-a1', key: key(920), hub: A },
        { name: 'r-b1', key: key(921), hub: B },
        { name: 'r-b2', key: key(922), hub: B },
      ];
      await approve(opA, spec);
      const agents = new Map<string, TestAgent>();
      for (const s of spec)
        agents.set(s.name, await agent(s.hub.url, s.name, s.key, { role: 'web' }));

      await redis.stop();
      await until(async () => (await fetch(`${A.url}/readyz`)).status === 503, 10_000);
      const deploy = signDeploy({ app: 'shop', version: 'v3', target: { selector: 'role=web' } }, [
        op,
      ]);
      expectOk(await call(opA, 'deploy:submit', deploy.envelope));
      // hub A's own agent needs no Redis
      await agents.get('r-a1')!.waitForRequests(1, 10_000);
      await new Promise((r) => setTimeout(r, 2_000));
      await redis.start();
      for (const s of spec) {
        const a = agents.get(s.name)!;
        await a.waitForRequests(1, 20_000);
        expect(await answer(a, s.name, s.key, a.requests[0]!)).toEqual({ stored: true });
      }
      await until(async () => (await fetch(`${A.url}/readyz`)).status === 200, 10_000);
      // a few more beats (sweeps) and late hints must not send anything twice
      await new Promise((r) => setTimeout(r, 3_000));
      for (const s of spec) expect(agents.get(s.name)!.requests.length).toBe(1);
      const rows = await query<{ host: string; state: string }>(
        c.db.url,
        'select host, state from deployment_hosts where request_id = $1 order by host',
        [deploy.request.id],
      );
      expect(rows.map((r) => [r.host, r.state])).toEqual(spec.map((s) => [s.name, 'succeeded']));
      expect(await receiptRows(c.db.url, deploy.request.id)).toBe(3);
      expect(await auditOf(B.url)).toMatchObject({ ok: true });
    } finally {
      await redis.stop();
    }
  });

  it('concurrent deploys submitted on both hubs for different apps both complete; one valid audit chain', async () => {
    const c = await startCluster(['node-a', 'node-b']);
    const [A, B] = c.hubs as [HubProcess, HubProcess];
    await publishTrust(A.url, trust);
    const opA = await operator(A.url);
    const opB = await operator(B.url);
    const spec = [0, 1, 2, 3, 4, 5].map((i) => ({
      name: `c-${i}`,
      key: key(930 + i),
      hub: i % 2 === 0 ? A : B,
    }));
    await approve(opA, spec);
    const agents = new Map<string, TestAgent>();
    for (const s of spec)
      agents.set(s.name, await agent(s.hub.url, s.name, s.key, { role: 'web' }));
    const shop = signDeploy({ app: 'shop', version: 'v4', target: { selector: 'role=web' } }, [op]);
    const blog = signDeploy({ app: 'blog', version: 'v9', target: { selector: 'role=web' } }, [op]);
    await Promise.all([
      call(opA, 'deploy:submit', shop.envelope).then(expectOk),
      call(opB, 'deploy:submit', blog.envelope).then(expectOk),
    ]);
    // every agent answers both at once, on its own hub: two writers append to the chain together
    await Promise.all(
      spec.map(async (s) => {
        const a = agents.get(s.name)!;
        await a.waitForRequests(2, 15_000);
        await Promise.all(a.requests.map((r) => answer(a, s.name, s.key, r)));
      }),
    );
    for (const d of [shop, blog]) {
      const rows = await query<{ state: string }>(
        c.db.url,
        'select state from deployment_hosts where request_id = $1',
        [d.request.id],
      );
      expect(rows.map((r) => r.state)).toEqual(spec.map(() => 'succeeded'));
      expect(await receiptRows(c.db.url, d.request.id)).toBe(spec.length);
    }
    const verdicts = [await auditOf(A.url), await auditOf(B.url)];
    expect(verdicts[0]).toMatchObject({ ok: true });
    expect(verdicts[1]).toEqual(verdicts[0]);
  });

  it('a keyring revoking an operator, published on hub A, is enforced on hub B at once', async () => {
    const c = await startCluster(['node-a', 'node-b']);
    const [A, B] = c.hubs as [HubProcess, HubProcess];
    const bob = key(950);
    const both = signKeyring(
      {
        version: 1,
        operators: [
          { name: 'alice', key: op },
          { name: 'bob', key: bob },
        ],
      },
      [trust.rootKey],
    );
    await publishTrust(A.url, { root: trust.root, keyring: both });
    const opA = await operator(A.url);
    await approve(opA, [{ name: 'k-b1', key: key(951) }]);
    await agent(B.url, 'k-b1', key(951), { role: 'web' });
    const aliceB = await operator(B.url);
    const bobB = await operator(B.url, bob);
    const dropped = nextEvent(bobB, 'disconnect', 10_000);

    const revoked = signKeyring({ version: 2, operators: [{ name: 'alice', key: op }] }, [
      trust.rootKey,
    ]);
    expectOk(await call(opA, 'trust:publish', { kind: 'keyring', envelope: revoked.envelope }));
    // at once: a request signed by bob is refused on hub B, whatever Redis is doing
    const byBob = signDeploy({ app: 'shop', version: 'v5', target: { hosts: ['k-b1'] } }, [bob]);
    const refused = await call(aliceB, 'deploy:submit', byBob.envelope);
    expect(refused.ok ? 'accepted' : refused.error.code).toBe('UNKNOWN_SIGNER');
    await dropped;
    expect(await connectOperator(B.url, { key: bob }).catch((e: { code: string }) => e.code)).toBe(
      'FORBIDDEN',
    );
  });
});

describe.skipIf(!available)('proposals across hubs', () => {
  it('proposed on hub A, announced on hub B, co-signed there, run by an agent on hub A', async () => {
    const c = await startCluster(['node-a', 'node-b']);
    const [A, B] = c.hubs as [HubProcess, HubProcess];
    const bob = key(960);
    const keyring = signKeyring(
      {
        operators: [
          { name: 'alice', key: op },
          { name: 'bob', key: bob },
        ],
        policies: { shop: { threshold: 2 } },
      },
      [trust.rootKey],
    );
    await publishTrust(A.url, { root: trust.root, keyring });
    const opA = await operator(A.url);
    await approve(opA, [{ name: 'p-a1', key: key(961) }]);
    const agentA = await agent(A.url, 'p-a1', key(961), { role: 'web' });
    const bobB = await operator(B.url, bob);

    const proposed = signDeploy({ app: 'shop', version: 'v7', target: { hosts: ['p-a1'] } }, [op]);
    const heard = nextEvent<{ requestId: string; status: string }>(
      bobB,
      'proposal:changed',
      10_000,
    );
    const seenOnA: string[] = [];
    opA.on('proposal:changed', (c: { status: string }) => seenOnA.push(c.status));
    expectOk(await call(opA, 'proposal:create', { envelope: proposed.envelope }));
    expect(await heard).toEqual({ requestId: proposed.request.id, status: 'open' });

    const message = pae(proposed.envelope.payloadType, fromBase64(proposed.envelope.payload));
    const signature = { keyid: bob.keyId, sig: toBase64(nodeSigner(bob).sign(message)) };
    const view = expectOk(
      await call<{ status: string }>(bobB, 'proposal:sign', {
        requestId: proposed.request.id,
        signature,
      }),
    );
    expect(view.status).toBe('submitted');
    await until(async () => seenOnA.includes('submitted'), 10_000);
    // one broadcast per change, carried by the adapter (even to the hub that made it): no echo
    await new Promise((r) => setTimeout(r, 500));
    expect(seenOnA).toEqual(['open', 'submitted']);
    await agentA.waitForRequests(1);
    expect(agentA.requests[0]?.signatures.map((s) => s.keyid)).toEqual([op.keyId, bob.keyId]);
  });
});

/** The shared Redis keeps nothing of ours once a test is over. */
async function dropStream(url: string, prefix: string): Promise<void> {
  const client = createClient({ url, socket: { connectTimeout: 2_000, reconnectStrategy: false } });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.del(`${prefix}:stream`);
  } catch {
    // a private Redis that was already stopped holds nothing
  } finally {
    client.destroy();
  }
}

async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
