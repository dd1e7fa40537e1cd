import type { Envelope, HostHistory } from '@serfbort/core';
import { LIMITS } from '@serfbort/core';
import { standardTrust } from '@serfbort/testkit';
import type { OperatorClient } from '@serfbort/testkit/hub';
import { call, connectOperator, expectOk } from '@serfbort/testkit/hub';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../db/migrate.js';
import type { DatabaseTarget } from '../db/open.js';
import { openDatabase } from '../db/open.js';
import { agents, deploymentHosts, deployments } from '../db/schema.js';
import { freshDataDir } from '../testing/data-dir.js';
import type { TestHub } from '../testing/test-hub.js';
import { startTestHub } from '../testing/test-hub.js';
import { loadHostHeads, loadHostHistory } from './host-history.js';

/*
 * `hosts:heads` is `hosts:history` with a limit of 1 for many hosts in one request: what
 * `list` and `check` compare with each agent's signed head. It must pick, for every host,
 * the very receipt a history request would, and answer every host asked, in order.
 */
const trust = standardTrust();
const viewerToken = 'viewer-token-heads-0123456789';
/** an envelope that names what it is, so the test can tell which one was served */
const mark = (what: string): Envelope => ({
  payloadType: 'x',
  payload: Buffer.from(JSON.stringify({ what })).toString('base64'),
  signatures: [],
});
const what = (e: Envelope | null | undefined) =>
  e ? (JSON.parse(Buffer.from(e.payload, 'base64').toString()) as { what: string }).what : null;

/** [host, request, seq (null: a v1 receipt), updatedAt, with a receipt] */
const rows: [string, string, number | null, number, boolean][] = [
  // a chain: the highest number wins, though an older row was updated later
  ['a', 'r1', 1, 1_000, true],
  ['a', 'r2', 3, 2_000, true],
  ['a', 'r3', 2, 9_000, true],
  // a deploy still running has no receipt yet
  ['a', 'r4', null, 10_000, false],
  // v1 receipts only: the newest by time
  ['b', 'r1', null, 1_000, true],
  ['b', 'r2', null, 5_000, true],
  // a v1 receipt after its chain began: numbered ones still come first
  ['c', 'r1', 1, 1_000, true],
  ['c', 'r2', null, 8_000, true],
  // only a deploy without a receipt
  ['d', 'r1', null, 1_000, false],
];

async function seed(target: DatabaseTarget): Promise<void> {
  const database = await openDatabase(target);
  try {
    await migrate(database.db);
    for (const id of ['r1', 'r2', 'r3', 'r4'])
      await database.db.insert(deployments).values({
        requestId: id,
        digest: `digest-${id}`,
        app: 'web',
        version: id,
        target: { hosts: ['a'] },
        signers: ['k'],
        signerNames: ['alice'],
        issuedAt: 1,
        expiresAt: 600_000,
        submittedAt: 1,
        envelope: mark(id),
      });
    for (const [host, requestId, seq, updatedAt, withReceipt] of rows)
      await database.db.insert(deploymentHosts).values({
        requestId,
        host,
        app: 'web',
        issuedAt: 1,
        state: withReceipt ? 'succeeded' : 'running',
        output: [],
        receipt: withReceipt ? mark(`${host}/${requestId}`) : null,
        receiptSeq: seq,
        updatedAt,
      });
    for (const name of ['a', 'b', 'e'])
      await database.db.insert(agents).values({
        name,
        keyId: `key-${name}`,
        publicKey: 'p',
        labels: {},
        apps: ['web'],
        evidence: {} as never,
        presence: 'online',
        firstSeen: 1,
        lastSeen: 1,
        agentVersion: '0.1.0',
        appVersions: {},
        approvedAt: 1,
        hello: mark(`hello ${name}`),
        head: name === 'a' ? mark('head a') : null,
      });
  } finally {
    await database.close();
  }
}

describe('many hosts’ newest receipt and signed heads in one request', () => {
  let storage: DatabaseTarget;
  let hub: TestHub;
  let viewer: OperatorClient;

  beforeAll(async () => {
    storage = { dataDir: await freshDataDir() };
    await seed(storage);
  }, 60_000);
  afterAll(async () => {
    viewer?.disconnect();
    await hub?.dispose();
  });

  it('serves each host what its own history request serves first, in the order asked', async () => {
    const database = await openDatabase(storage);
    try {
      // unknown hosts, a host without receipts, an agent without receipts, a repeat
      const asked = ['c', 'a', 'zz', 'd', 'e', 'b', 'a'];
      const heads = await loadHostHeads(database.db, asked);
      expect(heads.map((h) => h.host)).toEqual(asked);
      for (const [i, host] of asked.entries())
        expect(heads[i], host).toEqual(await loadHostHistory(database.db, host, 1));
      expect(heads.map((h) => h.receipts.map(what))).toEqual([
        ['c/r1'],
        ['a/r2'],
        [],
        [],
        [],
        ['b/r2'],
        ['a/r2'],
      ]);
      expect(heads.map((h) => [what(h.hello), what(h.head)])).toEqual([
        [null, null],
        ['hello a', 'head a'],
        [null, null],
        [null, null],
        ['hello e', null],
        ['hello b', null],
        ['hello a', 'head a'],
      ]);
    } finally {
      await database.close();
    }
  });

  it('is served to readers over the socket, and refuses a request for too many hosts', async () => {
    hub = await startTestHub({ trust, ...storage, viewerToken });
    viewer = await connectOperator(hub.url, { viewerToken });
    const heads = expectOk(await call<HostHistory[]>(viewer, 'hosts:heads', { hosts: ['b', 'a'] }));
    expect(heads.map((h) => [h.host, h.receipts.map(what)])).toEqual([
      ['b', ['b/r2']],
      ['a', ['a/r2']],
    ]);
    const tooMany = Array.from({ length: LIMITS.headsPerRequest + 1 }, (_, i) => `h${i}`);
    const refused = await call(viewer, 'hosts:heads', { hosts: tooMany });
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.error.code).toBe('BAD_REQUEST');
    const empty = await call(viewer, 'hosts:heads', { hosts: [] });
    expect(!empty.ok && empty.error.code).toBe('BAD_REQUEST');
  });
});
