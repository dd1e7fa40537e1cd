import type { AuditRow } from '@serfbort/core';
import { rowHash } from '@serfbort/core';
import type { TestDatabase } from '@serfbort/testkit/hub';
import { createTestDatabase } from '@serfbort/testkit/hub';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectOk, Fleet, trustedFleet } from '../cli/fleet.js';

/*
 * Issue 16, finding 6: whoever owns the hub's database rewrites its history and rebuilds
 * the hash chain consistently (the chain verifies on the hub). The next CLI session of a
 * client that saw the old head refuses the hub, naming both heads.
 */

const database = await createTestDatabase();
let fleet: Fleet;
const alice = (args: string[]) => fleet.cli('alice', args);

/** What an owner of the database can do: drop the trigger, edit a row, re-hash every link after it. */
async function rebuildFrom(url: string, seq: number): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query('alter table audit_log disable trigger audit_log_append_only');
    const { rows } = await c.query<{
      seq: string;
      at: string;
      kind: string;
      body: string;
      prev_hash: string;
      hash: string;
    }>('select * from audit_log order by seq');
    let prev: string | undefined;
    for (const raw of rows) {
      const row = { ...raw, seq: Number(raw.seq), at: Number(raw.at), prevHash: raw.prev_hash };
      if (row.seq < seq) {
        prev = raw.hash;
        continue;
      }
      const partial: Omit<AuditRow, 'hash'> = {
        seq: row.seq,
        at: row.at,
        kind: row.kind,
        body: row.seq === seq ? row.body.replace(/}$/, ',"rewritten":true}') : row.body,
        prevHash: prev ?? row.prevHash,
      };
      const hash = rowHash(partial);
      await c.query('update audit_log set body = $1, prev_hash = $2, hash = $3 where seq = $4', [
        partial.body,
        partial.prevHash,
        hash,
        row.seq,
      ]);
      prev = hash;
    }
  } finally {
    await c.end();
  }
}

describe.skipIf(!database)('a hub whose database history was rebuilt between two sessions', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = database!;
    fleet = new Fleet();
    fleet.hubExtra = { databaseUrl: db.url };
    await trustedFleet(fleet, ['weba']);
    expectOk(await alice(['deploy', 'shop', 'v2', '--hosts', 'weba', '--yes']), 'deploy');
  }, 180_000);
  afterAll(async () => {
    await fleet?.close();
    await db?.drop();
  });

  it('is refused at the next session with both heads, and accepted only on purpose', async () => {
    expectOk(await alice(['list']), 'a session that remembers the head');
    const verified = await alice(['audit', 'verify', '--json']);
    expect(verified.code, verified.stderr).toBe(0);
    const before = JSON.parse(verified.stdout) as { rows: number; headHash: string };
    await rebuildFrom(db.url, 2);
    // the rebuilt chain is consistent: only a client that remembers a head can tell
    const r = await alice(['list', '--json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('AUDIT_FORKED');
    expect(r.stderr).toContain(`remembered row ${before.rows} (${before.headHash.slice(0, 16)}`);
    expect(r.stderr).toContain('the hub now shows row');
    expect((await alice(['deploy', 'shop', 'v3', '--hosts', 'weba', '--yes'])).code).toBe(1);
    expectOk(await alice(['audit', 'forget-head']), 'forget-head');
    expectOk(await alice(['list']), 'list after forget-head');
    const after = await alice(['audit', 'verify', '--json']);
    expect(after.code, after.stderr).toBe(0);
  });
});
