import { writeFileSync } from 'node:fs';
import type { IncomingMessage, Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { key, sampleRolloutStart, signDeploy, signKeyring, standardTrust } from '@serfbort/testkit';
import type { TestAgent } from '@serfbort/testkit/hub';
import {
  call,
  connectAgent,
  connectOperator,
  createTestDatabase,
  expectOk,
  nextEvent,
  signApproval,
  signReceipt,
} from '@serfbort/testkit/hub';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadWebhooksFile } from '../config/webhooks.js';
import type { TestHub } from '../testing/test-hub.js';
import { startTestHub } from '../testing/test-hub.js';
import { verifyWebhookSignature } from './sign.js';

const SECRET = 'a-webhook-secret-of-some-length';
const VIEWER = 'viewer-token-for-webhook-tests';
const DAY = 86_400_000;

interface Post {
  headers: IncomingMessage['headers'];
  raw: string;
  body: { id: string; type: string; hubId: string; data: Record<string, unknown> };
}

/** A receiver on 127.0.0.1 that records posts and answers 200, or 500 to the types told to fail once. */
async function receiver() {
  const posts: Post[] = [];
  const failOnce = new Set<string>();
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => {
      raw += c;
    });
    req.on('end', () => {
      const post: Post = { headers: req.headers, raw, body: JSON.parse(raw) };
      posts.push(post);
      const fail = failOnce.delete(post.body.type);
      res.writeHead(fail ? 500 : 200).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return {
    url,
    posts,
    failOnce,
    close: () => new Promise<void>((r) => server.close(() => r())),
    async next(
      type: string,
      where: (p: Post) => boolean = () => true,
      timeoutMs = 10_000,
    ): Promise<Post> {
      const until = Date.now() + timeoutMs;
      while (Date.now() < until) {
        const found = posts.find((p) => p.body.type === type && where(p));
        if (found) return found;
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error(
        `no ${type} post within ${timeoutMs} ms; got ${posts.map((p) => p.body.type)}`,
      );
    },
  };
}

const trust = standardTrust();
let hub: TestHub;
let ops: Awaited<ReturnType<typeof receiver>>;
// a closed port: every post to it fails to connect
let deadUrl: string;

async function api<T>(path: string): Promise<T> {
  const res = await fetch(`${hub.url}${path}`, { headers: { authorization: `Bearer ${VIEWER}` } });
  expect(res.status).toBe(200);
  return (await res.json()) as T;
}

async function approvedAgent(name: string, seed: number): Promise<TestAgent & { seed: number }> {
  const agentKey = key(seed);
  const agent = await connectAgent(hub.url, {
    key: agentKey,
    name,
    labels: { role: 'web' },
    apps: ['shop'],
  });
  const op = await connectOperator(hub.url, { key: trust.operatorKey });
  const approved = nextEvent(agent.socket, 'auth:approved');
  expectOk(await call(op, 'agents:approve', signApproval(trust.operatorKey, agentKey, name)));
  await approved;
  op.disconnect();
  return Object.assign(agent, { seed });
}

beforeAll(async () => {
  ops = await receiver();
  const dead = await receiver();
  deadUrl = dead.url;
  await dead.close();
  hub = await startTestHub({
    trust,
    viewerToken: VIEWER,
    webhooks: {
      endpoints: [
        { name: 'ops', url: ops.url, secret: SECRET },
        { name: 'down', url: deadUrl, secret: SECRET, events: ['deploy.failed'] },
      ],
      pollMs: 100,
      retryBaseMs: 50,
      maxAttempts: 3,
      lostAfterMs: 200,
      pendingEveryMs: 0,
      timeoutMs: 2_000,
    },
  });
});
afterAll(async () => {
  await hub?.dispose();
  await ops?.close();
});

describe('webhooks', () => {
  it('posts a failed deploy, signed with the endpoint secret and naming the failed host', async () => {
    const agent = await approvedAgent('web-1', 301);
    const op = await connectOperator(hub.url, { key: trust.operatorKey });
    const { envelope, request } = signDeploy(
      { app: 'shop', version: 'v9', target: { hosts: ['web-1'] } },
      [trust.operatorKey],
    );
    expectOk(await call(op, 'deploy:submit', envelope));
    const receipt = signReceipt(key(301), 'web-1', envelope, {
      status: 'failed',
      exitCode: 3,
      versionAfter: null,
    });
    expectOk(await call(agent.socket, 'deploy:receipt', receipt));

    const post = await ops.next('deploy.failed');
    expect(post.headers['x-serfbort-event']).toBe('deploy.failed');
    expect(post.headers['x-serfbort-delivery']).toBe(`deploy:${request.id}`);
    expect(post.headers['content-type']).toBe('application/json');
    expect(
      verifyWebhookSignature(
        SECRET,
        {
          timestamp: post.headers['x-serfbort-timestamp'] as string,
          signature: post.headers['x-serfbort-signature'] as string,
        },
        post.raw,
      ),
    ).toBe(true);
    // the same signature does not hold for other bytes or another secret
    expect(
      verifyWebhookSignature(
        'another-secret-of-some-length',
        {
          timestamp: post.headers['x-serfbort-timestamp'] as string,
          signature: post.headers['x-serfbort-signature'] as string,
        },
        post.raw,
      ),
    ).toBe(false);
    expect(post.body).toMatchObject({
      type: 'deploy.failed',
      hubId: hub.hubId,
      data: {
        requestId: request.id,
        app: 'shop',
        version: 'v9',
        hosts: 1,
        succeeded: 0,
        problems: [{ host: 'web-1', state: 'failed' }],
      },
    });
    op.disconnect();
    agent.socket.disconnect();
  });

  it('retries an endpoint that answers 500, and logs the delivery with its attempts', async () => {
    const agent = await approvedAgent('web-2', 302);
    const op = await connectOperator(hub.url, { key: trust.operatorKey });
    const { envelope, request } = signDeploy(
      { app: 'shop', version: 'v10', target: { hosts: ['web-2'] } },
      [trust.operatorKey],
    );
    ops.failOnce.add('deploy.finished');
    expectOk(await call(op, 'deploy:submit', envelope));
    expectOk(await call(agent.socket, 'deploy:receipt', signReceipt(key(302), 'web-2', envelope)));
    await ops.next('deploy.finished');
    const tries = () => ops.posts.filter((p) => p.body.id === `deploy:${request.id}`).length;
    const until = Date.now() + 10_000;
    while (tries() < 2 && Date.now() < until) await new Promise((r) => setTimeout(r, 25));
    expect(tries()).toBe(2);
    const log = await api<{ event: string; endpoint: string; status: string; attempts: number }[]>(
      '/api/webhooks/deliveries?type=deploy.finished',
    );
    const mine = log.find((d) => d.event === `deploy:${request.id}`);
    expect(mine).toMatchObject({ endpoint: 'ops', status: 'delivered', attempts: 2 });
    op.disconnect();
    agent.socket.disconnect();
  });

  it('gives up on an endpoint that never answers, after its attempts, and says why', async () => {
    const until = Date.now() + 15_000;
    let failed: { status: string; attempts: number; lastError: string | null }[] = [];
    while (Date.now() < until) {
      failed = await api('/api/webhooks/deliveries?status=failed');
      if (failed.length > 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(failed[0]).toMatchObject({ endpoint: 'down', status: 'failed', attempts: 3 });
    expect(failed[0]!.lastError).toMatch(/ECONNREFUSED/);
    // only the events it asked for were queued for it
    const all = await api<{ endpoint: string; type: string }[]>('/api/webhooks/deliveries');
    expect(new Set(all.filter((d) => d.endpoint === 'down').map((d) => d.type))).toEqual(
      new Set(['deploy.failed']),
    );
    const metrics = await (await fetch(`${hub.url}/metrics`)).text();
    expect(metrics).toMatch(
      /serfbort_webhook_deliveries_total\{endpoint="down",result="failed"\} 1/,
    );
    expect(metrics).toMatch(/serfbort_webhook_deliveries_total\{endpoint="ops",result="retry"\} 1/);
  });

  it('posts a host that stays lost, and keys that wait for approval', async () => {
    const agent = await approvedAgent('web-3', 303);
    agent.socket.disconnect(); // no goodbye: lost
    const lost = await ops.next('agent.lost', (p) => p.body.data.host === 'web-3');
    expect(lost.body.data).toMatchObject({ host: 'web-3' });

    await connectAgent(hub.url, { key: key(304), name: 'db-1', labels: {}, apps: [] });
    const pending = await ops.next('agent.pending', (p) =>
      JSON.stringify(p.body.data).includes('db-1'),
    );
    expect(pending.body.data).toMatchObject({ count: 1, agents: [{ host: 'db-1' }] });
  });

  it('posts a halted rollout, once', async () => {
    const op = await connectOperator(hub.url, { key: trust.operatorKey });
    const start = sampleRolloutStart({
      id: `rollout-${Date.now().toString(36)}`,
      app: 'shop',
      version: 'v11',
    });
    expectOk(await call(op, 'rollout:start', start));
    expectOk(
      await call(op, 'rollout:control', { id: start.id, status: 'halted', reason: 'web-1 failed' }),
    );
    const halted = await ops.next('rollout.halted');
    expect(halted.body.data).toMatchObject({
      rolloutId: start.id,
      status: 'halted',
      reason: 'web-1 failed',
    });
    await new Promise((r) => setTimeout(r, 500));
    expect(ops.posts.filter((p) => p.body.id === halted.body.id)).toHaveLength(1);
    op.disconnect();
  });

  it('warns that the keyring expires soon', async () => {
    const soon = signKeyring(
      {
        version: 2,
        operators: [{ name: 'alice', key: trust.operatorKey }],
        expiresAt: Date.now() + 2 * DAY,
      },
      [trust.rootKey],
    );
    const op = await connectOperator(hub.url, { key: trust.operatorKey });
    expectOk(await call(op, 'trust:publish', { kind: 'keyring', envelope: soon.envelope }));
    const post = await ops.next('trust.expiring');
    expect(post.body.data).toMatchObject({ document: 'keyring', version: 2, expired: false });
    op.disconnect();
  });
});

describe('the webhooks file', () => {
  const file = (content: unknown) => {
    const path = join(tmpdir(), `serfbort-webhooks-${process.pid}-${Math.random()}.json`);
    writeFileSync(path, JSON.stringify(content));
    return path;
  };

  it('reads secrets from the environment or a file, never needing them inline', () => {
    const secretPath = join(tmpdir(), `serfbort-webhook-secret-${process.pid}`);
    writeFileSync(secretPath, `${SECRET}\n`);
    const config = loadWebhooksFile(
      file({
        endpoints: [
          { name: 'a', url: 'https://hooks.example/a', secretEnv: 'HOOK_SECRET' },
          { name: 'b', url: 'https://hooks.example/b', secretFile: secretPath },
        ],
      }),
      { HOOK_SECRET: SECRET },
    );
    expect(config.endpoints.map((e) => e.secret)).toEqual([SECRET, SECRET]);
  });

  it('names what is wrong, and never prints a secret', () => {
    expect(() =>
      loadWebhooksFile(
        file({ endpoints: [{ url: 'https://hooks.example/a', secretEnv: 'NOT_SET' }] }),
        {},
      ),
    ).toThrow('webhooks: endpoints[0]: NOT_SET is not set');
    expect(() =>
      loadWebhooksFile(file({ endpoints: [{ url: 'https://hooks.example/a' }] }), {}),
    ).toThrow('give exactly one of secret, secretEnv, secretFile');
    expect(() => loadWebhooksFile('/nonexistent/webhooks.json')).toThrow(
      'webhooks: cannot read /nonexistent/webhooks.json: ENOENT',
    );
  });

  it('refuses a short secret, an unknown event and a non-http URL when the hub starts', async () => {
    const bad = [
      [{ url: 'https://h.example/', secret: 'short' }, 'at least 16 characters'],
      [{ url: 'https://h.example/', secret: SECRET, events: ['deploy.exploded'] }, 'events'],
      [{ url: 'ftp://h.example/', secret: SECRET }, 'http'],
    ] as const;
    for (const [endpoint, message] of bad) {
      const err = await startTestHub({ webhooks: { endpoints: [endpoint as never] } }).then(
        (h) => h.dispose().then(() => null),
        (e: Error) => e,
      );
      expect(err?.message).toContain(message);
      expect(err?.message).not.toContain(SECRET);
    }
  });
});

describe('webhooks on PostgreSQL', () => {
  it('posts a finished deploy once, with the same SQL as the embedded database', async (t) => {
    const database = await createTestDatabase();
    if (!database) return t.skip();
    const hooks = await receiver();
    const pgHub = await startTestHub({
      trust,
      databaseUrl: database.url,
      webhooks: { endpoints: [{ url: hooks.url, secret: SECRET }], pollMs: 100 },
    });
    try {
      const agentKey = key(310);
      const agent = await connectAgent(pgHub.url, {
        key: agentKey,
        name: 'pg-1',
        labels: { role: 'web' },
        apps: ['shop'],
      });
      const op = await connectOperator(pgHub.url, { key: trust.operatorKey });
      const approved = nextEvent(agent.socket, 'auth:approved');
      expectOk(await call(op, 'agents:approve', signApproval(trust.operatorKey, agentKey, 'pg-1')));
      await approved;
      const { envelope, request } = signDeploy(
        { app: 'shop', version: 'v1', target: { hosts: ['pg-1'] } },
        [trust.operatorKey],
      );
      expectOk(await call(op, 'deploy:submit', envelope));
      expectOk(await call(agent.socket, 'deploy:receipt', signReceipt(agentKey, 'pg-1', envelope)));
      const post = await hooks.next('deploy.finished');
      expect(post.body.data).toMatchObject({ requestId: request.id, hosts: 1, succeeded: 1 });
      await new Promise((r) => setTimeout(r, 400));
      expect(hooks.posts.filter((p) => p.body.id === post.body.id)).toHaveLength(1);
      op.disconnect();
      agent.socket.disconnect();
    } finally {
      await pgHub.dispose();
      await hooks.close();
      await database.drop();
    }
  });
});
