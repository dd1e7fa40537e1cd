/**
 * Fan-out latency: N simulated agents on one hub, then split over two hubs (one
 * PostgreSQL, one Redis). Each round submits one deploy to every agent on hub A and
 * measures, in this process, from the submit to each agent receiving the request.
 *
 *   npm run build -w @serfbort/hub
 *   node --import tsx apps/hub/scripts/cluster-fanout.ts [agents=1000] [rounds=5]
 *
 * Needs PostgreSQL (postgres://postgres@127.0.0.1:5432, trust) and Redis on 6379; makes
 * and drops its own database and uses its own Redis prefix.
 */
import { randomBytes } from 'node:crypto';
import type { KeyPair } from '@serfbort/core';
import { PAYLOAD_TYPES, signPayload, toBase64 } from '@serfbort/core';
import { generateKeyPair, nodeSigner } from '@serfbort/node';
import { signDeploy, standardTrust } from '@serfbort/testkit';
import type { HubProcess, TestAgent } from '@serfbort/testkit/hub';
import {
  call,
  connectAgent,
  connectOperator,
  createTestDatabase,
  expectOk,
  publishTrust,
  spawnHub,
} from '@serfbort/testkit/hub';
import pg from 'pg';
import { createClient } from 'redis';

const N = Number(process.argv[2] ?? 1000);
const ROUNDS = Number(process.argv[3] ?? 5);
const trust = standardTrust();

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

async function registerAgents(dbUrl: string, agents: { name: string; key: KeyPair }[]) {
  // the registry as an operator's approvals would leave it (approvals themselves are not timed here)
  const client = new pg.Client({ connectionString: dbUrl });
  await client.connect();
  const now = Date.now();
  for (let i = 0; i < agents.length; i += 200) {
    const values: unknown[] = [];
    const rows = agents.slice(i, i + 200).map((a, j) => {
      const evidence = {
        kind: 'approval',
        approval: signPayload(
          PAYLOAD_TYPES.approval,
          {
            type: 'approval',
            host: a.name,
            agentKeyId: a.key.keyId,
            agentPublicKey: toBase64(a.key.publicKey),
            approvedAt: now,
          },
          [nodeSigner(trust.operatorKey)],
        ),
      };
      values.push(a.name, a.key.keyId, toBase64(a.key.publicKey), JSON.stringify(evidence));
      const k = j * 4;
      return `($${k + 1}, $${k + 2}, $${k + 3}, '{"role":"web"}', '["shop"]', $${k + 4}, 'lost', ${now}, ${now}, 'bench', null, '{}', ${now})`;
    });
    await client.query(
      `insert into agents (name, key_id, public_key, labels, apps, evidence, presence, first_seen, last_seen, agent_version, hub_node, app_versions, approved_at) values ${rows.join(', ')}`,
      values,
    );
  }
  await client.end();
}

async function connectAll(urls: string[], agents: { name: string; key: KeyPair }[]) {
  const out: TestAgent[] = [];
  for (let i = 0; i < agents.length; i += 50)
    out.push(
      ...(await Promise.all(
        agents.slice(i, i + 50).map((a, j) =>
          connectAgent(urls[(i + j) % urls.length]!, {
            key: a.key,
            name: a.name,
            labels: { role: 'web' },
            apps: ['shop'],
          }),
        ),
      )),
    );
  return out;
}

async function measure(label: string, hubCount: 1 | 2) {
  const db = await createTestDatabase();
  if (!db) throw new Error('PostgreSQL is not reachable');
  const prefix = `serfbort-bench-${randomBytes(4).toString('hex')}`;
  const env = (node: string): Record<string, string> => ({
    DATABASE_URL: db.url,
    SERFBORT_HUB_NODE: node,
    ...(hubCount === 2
      ? { SERFBORT_REDIS_URL: 'redis://127.0.0.1:6379', SERFBORT_REDIS_PREFIX: prefix }
      : {}),
  });
  const hubs: HubProcess[] = [];
  let agents: TestAgent[] = [];
  try {
    hubs.push(await spawnHub(env('bench-a')));
    if (hubCount === 2) hubs.push(await spawnHub(env('bench-b')));
    await publishTrust(hubs[0]!.url, trust);
    const identities = Array.from({ length: N }, (_, i) => ({
      name: `sim-${i}`,
      key: generateKeyPair(),
    }));
    await registerAgents(db.url, identities);
    agents = await connectAll(
      hubs.map((h) => h.url),
      identities,
    );
    const op = await connectOperator(hubs[0]!.url, { key: trust.operatorKey });
    const lastAll: number[] = [];
    const p50s: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const deploy = signDeploy(
        { app: 'shop', version: `v${round + 1}`, target: { selector: 'role=web' } },
        [trust.operatorKey],
      );
      const t0 = performance.now();
      const arrivals = agents.map((a) => {
        const before = a.requests.length;
        return new Promise<number>((resolve) => {
          const onRequest = () => {
            if (a.requests.length > before) {
              a.socket.off('deploy:request', onRequest);
              resolve(performance.now() - t0);
            }
          };
          a.socket.on('deploy:request', onRequest);
        });
      });
      expectOk(await call(op, 'deploy:submit', deploy.envelope));
      const times = await Promise.all(arrivals);
      lastAll.push(Math.max(...times));
      p50s.push(pct(times, 50));
      console.log(
        `${label} round ${round + 1}: p50 ${pct(times, 50).toFixed(0)} ms, p95 ${pct(times, 95).toFixed(0)} ms, all ${Math.max(...times).toFixed(0)} ms`,
      );
    }
    op.disconnect();
    return { label, p50: pct(p50s, 50), all: pct(lastAll, 50) };
  } finally {
    for (const a of agents) a.socket.disconnect();
    await Promise.all(hubs.map((h) => h.stop()));
    await db.drop();
    if (hubCount === 2) {
      const redis = createClient({ url: 'redis://127.0.0.1:6379' });
      await redis.connect();
      await redis.del(`${prefix}:stream`);
      redis.destroy();
    }
  }
}

const one = await measure(`1 hub, ${N} agents`, 1);
const two = await measure(`2 hubs, ${N / 2}+${N / 2} agents`, 2);
console.log('\nmedian over rounds (submit on hub A → agent has the request):');
for (const r of [one, two])
  console.log(`  ${r.label}: p50 ${r.p50.toFixed(0)} ms, last agent ${r.all.toFixed(0)} ms`);
process.exit(0);
