import { rmSync } from 'node:fs';
import type { AuditVerdict, DeploymentView, HostView, TrustBundle } from '@serfbort/core';
import { key, signDeploy, standardTrust } from '@serfbort/testkit';
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
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from './audit/verify.js';
import type { DatabaseTarget } from './db/open.js';
import { openDatabase } from './db/open.js';
import { freshDataDir } from './testing/data-dir.js';
import { startTestHub } from './testing/test-hub.js';

const trust = standardTrust();
const webKey = key(600);
const offKey = key(601);

/**
 * Writes agents, deployments, a receipt, trust and audit rows; restarts the hub on
 * the same storage; checks that all of it is still there and still verifies.
 */
async function restartKeepsEverything(storage: { dataDir: string } | { databaseUrl: string }) {
  const first = await startTestHub({ ...storage, trust });
  const op = await connectOperator(first.url, { key: trust.operatorKey });
  for (const [name, k] of [
    ['web-1', webKey],
    ['off-1', offKey],
  ] as const) {
    const agent = await connectAgent(first.url, {
      key: k,
      name,
      labels: { role: name.split('-')[0]! },
      apps: ['shop'],
    });
    const approved = nextEvent(agent.socket, 'auth:approved');
    expectOk(await call(op, 'agents:approve', signApproval(trust.operatorKey, k, name)));
    await approved;
    if (name === 'off-1') agent.socket.disconnect();
    else {
      const deploy = signDeploy({ app: 'shop', version: 'v1', target: { hosts: ['web-1'] } }, [
        trust.operatorKey,
      ]);
      const received = nextEvent(agent.socket, 'deploy:request');
      expectOk(await call(op, 'deploy:submit', deploy.envelope));
      await received;
      expectOk(
        await call(agent.socket, 'deploy:receipt', signReceipt(webKey, 'web-1', deploy.envelope)),
      );
      agent.socket.disconnect();
    }
  }
  const pending = signDeploy({ app: 'shop', version: 'v2', target: { hosts: ['off-1'] } }, [
    trust.operatorKey,
  ]);
  expectOk(await call(op, 'deploy:submit', pending.envelope));
  const bundle = expectOk(await call<TrustBundle>(op, 'trust:get'));
  const audit = expectOk(await call<AuditVerdict>(op, 'audit:verify'));
  const deployments = expectOk(await call<{ requestId: string }[]>(op, 'deploy:list', {}));
  op.disconnect();
  await first.close();

  const second = await startTestHub(storage);
  try {
    expect(second.hubId).toBe(first.hubId);
    const op2 = await connectOperator(second.url, { key: trust.operatorKey });
    expect(expectOk(await call<TrustBundle>(op2, 'trust:get'))).toEqual(bundle);
    expect(expectOk(await call<AuditVerdict>(op2, 'audit:verify'))).toEqual(audit);
    expect(audit).toMatchObject({ ok: true });
    expect(audit.rows).toBeGreaterThanOrEqual(7);
    const hosts = expectOk(await call<HostView[]>(op2, 'hosts:list', {}));
    expect(hosts.map((h) => [h.name, h.state])).toEqual([
      ['off-1', 'lost'],
      ['web-1', 'lost'],
    ]);
    expect(hosts.find((h) => h.name === 'web-1')?.lastDeploys.shop).toMatchObject({
      version: 'v1',
      state: 'succeeded',
    });
    expect(expectOk(await call<{ requestId: string }[]>(op2, 'deploy:list', {}))).toEqual(
      deployments,
    );
    const done = expectOk(
      await call<DeploymentView>(op2, 'deploy:watch', { requestId: deployments.at(-1)!.requestId }),
    );
    expect(done.hosts[0]).toMatchObject({ host: 'web-1', state: 'succeeded' });
    expect(done.hosts[0]?.receipt).toBeDefined();
    // the offline host comes back to the restarted hub: approved at once, and its pending request waits for it
    const back = await connectAgent(second.url, {
      key: offKey,
      name: 'off-1',
      labels: { role: 'off' },
      apps: ['shop'],
    });
    expect(back.status).toBe('approved');
    await back.waitForRequests(1);
    expect(back.requests).toEqual([pending.envelope]);
    back.socket.disconnect();
    op2.disconnect();
  } finally {
    await second.close();
  }
}

/** Changes one audit row behind the hub's back; verification must name it. */
async function tamperAndVerify(target: DatabaseTarget) {
  const database = await openDatabase(target);
  try {
    await database.db.execute(
      sql.raw('alter table audit_log disable trigger audit_log_append_only'),
    );
    await database.db.execute(
      sql.raw(`update audit_log set body = replace(body, 'v1', 'v9') where kind = 'deploy'`),
    );
    const result = (await database.db.execute(
      sql.raw(`select min(seq)::int as seq from audit_log where kind = 'deploy'`),
    )) as unknown as { rows: { seq: number }[] };
    const verdict = await verifyAuditChain(database.db);
    expect(verdict).toMatchObject({ ok: false, firstBroken: result.rows[0]!.seq });
    await database.db.execute(
      sql.raw('alter table audit_log enable trigger audit_log_append_only'),
    );
  } finally {
    await database.close();
  }
}

describe('on the embedded database', () => {
  let dataDir: string | undefined;
  afterAll(() => {
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('a restart keeps agents, deployments, receipts, trust and the audit chain', async () => {
    dataDir = await freshDataDir();
    await restartKeepsEverything({ dataDir });
    await tamperAndVerify({ dataDir });
    // three opens of the embedded database: seconds each on a busy machine
  }, 120_000);
});

const database = await createTestDatabase();
if (!database)
  console.warn('PostgreSQL at 127.0.0.1:5432 is unreachable: skipping the PostgreSQL restart test');

describe.skipIf(!database)('on PostgreSQL', () => {
  afterAll(async () => {
    await database?.drop();
  });

  it('a restart keeps agents, deployments, receipts, trust and the audit chain', async () => {
    await restartKeepsEverything({ databaseUrl: database!.url });
    await tamperAndVerify({ databaseUrl: database!.url });
  });

  it('refuses to change an audit row while the trigger is on', async () => {
    const db = await openDatabase({ databaseUrl: database!.url });
    try {
      const error = (await db.db
        .execute(sql.raw('delete from audit_log'))
        .catch((e: unknown) => e)) as Error & { cause?: Error };
      expect(String(error.cause?.message ?? error.message)).toMatch(/append-only/);
    } finally {
      await db.close();
    }
  });
});
