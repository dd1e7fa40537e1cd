import { join } from 'node:path';
import type { AuditRow, Envelope, ReceiptV2 } from '@serfbort/core';
import {
  fromBase64,
  GENESIS_HASH,
  RECEIPT_V2_TYPE,
  rowHash,
  signPayload,
  utf8Decode,
} from '@serfbort/core';
import { generateKeyPair, nodeSigner, readPlainKey } from '@serfbort/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectOk, Fleet, reachStatus, trustedFleet } from '../cli/fleet.js';
import type { Packet } from './tamper-proxy.js';
import { startTamperProxy } from './tamper-proxy.js';

/*
 * Issue 16, per-host receipt chains and audit heads: a man in the middle in front of a
 * real hub serves weba's history with receipts dropped, reordered or doubled, and serves
 * a rebuilt audit chain. The CLI names each, exit 1.
 */

interface HistoryData {
  host: string;
  receipts: Envelope[];
  hello: Envelope | null;
  head?: Envelope | null;
}
interface HistoryJson {
  status: string;
  exitCode: number;
  head: { seq: number } | null;
  problems: { kind: string; message: string }[];
  receipts: { seq: number | null; version: string }[];
}

let fleet: Fleet;
let proxy: Awaited<ReturnType<typeof startTamperProxy>>;
let realHub = '';
let lieHistory: (h: HistoryData) => HistoryData = (h) => h;
/** what a batched `hosts:heads` answer becomes after each history in it was lied about */
let lieHeads: (heads: HistoryData[]) => unknown = (heads) => heads;
const UNKNOWN_EVENT = { ok: false, error: { code: 'BAD_REQUEST', message: 'unknown event' } };
const isHistory = (d: unknown) => !!d && typeof d === 'object' && 'receipts' in d && 'hello' in d;
let lieAudit: { head?: (h: unknown) => unknown; rows?: (rows: AuditRow[]) => AuditRow[] } = {};

/** Rewrites one acknowledgement by its shape: a history, many, an audit head, or audit rows. */
function tamper(packet: Packet): unknown[] {
  if (packet.namespace !== '/operator' || packet.kind !== 'ack') return packet.data;
  const ack = packet.data[0] as { ok?: boolean; data?: unknown } | undefined;
  if (!ack?.ok) return packet.data;
  const d = ack.data as Record<string, unknown> | unknown[];
  if (!Array.isArray(d) && isHistory(d))
    return [{ ...ack, data: lieHistory(d as unknown as HistoryData) }];
  if (Array.isArray(d) && d.length > 0 && isHistory(d[0])) {
    const lied = lieHeads((d as HistoryData[]).map(lieHistory));
    return [lied === UNKNOWN_EVENT ? lied : { ...ack, data: lied }];
  }
  if (!Array.isArray(d) && d && Object.keys(d).sort().join() === 'hash,seq' && lieAudit.head) {
    const lied = lieAudit.head(d);
    return [lied === UNKNOWN_EVENT ? lied : { ...ack, data: lied }];
  }
  if (Array.isArray(d) && d.length > 0 && 'prevHash' in (d[0] as object) && lieAudit.rows)
    return [{ ...ack, data: lieAudit.rows(d as AuditRow[]) }];
  return packet.data;
}

const alice = (args: string[]) => fleet.cli('alice', args);
const history = async (): Promise<{ code: number; json: HistoryJson }> => {
  const r = await alice(['history', 'weba', '--json']);
  return { code: r.code, json: JSON.parse(r.stdout) as HistoryJson };
};
const receiptOf = (e: Envelope) => JSON.parse(utf8Decode(fromBase64(e.payload))) as ReceiptV2;

beforeAll(async () => {
  fleet = new Fleet();
  await trustedFleet(fleet, ['weba']);
  for (const v of ['v2', 'v3', 'v4', 'v5'])
    expectOk(await alice(['deploy', 'shop', v, '--hosts', 'weba', '--yes']), `deploy ${v}`);
  // a restart: the new hello states receipt 4 as the agent's newest
  await fleet.stopAgent('weba');
  const again = await fleet.startAgent({ name: 'weba', labels: ['role=web'] });
  await reachStatus(again, 'approved');
  realHub = fleet.hubUrl;
  proxy = await startTamperProxy(realHub, tamper);
  fleet.hubUrl = proxy.url; // the CLI talks through the liar; the agent stays on the real hub
}, 180_000);

afterAll(async () => {
  if (fleet) fleet.hubUrl = realHub;
  await proxy?.close();
  await fleet?.close();
});

describe("a host's receipt history", () => {
  it('is intact when served as stored: numbered 1–4 up to the agent signed head', async () => {
    lieHistory = (h) => h;
    const { code, json } = await history();
    expect(json.problems).toEqual([]);
    expect(json).toMatchObject({ status: 'intact', exitCode: 0, head: { seq: 4 } });
    expect(json.receipts.map((r) => [r.seq, r.version])).toEqual([
      [1, 'v2'],
      [2, 'v3'],
      [3, 'v4'],
      [4, 'v5'],
    ]);
    expect(code).toBe(0);
    const text = await alice(['history', 'weba']);
    expect(text.stdout).toContain('chain intact');
  });

  it('names the newest receipt the hub dropped, from the agent signed head', async () => {
    lieHistory = (h) => ({ ...h, receipts: h.receipts.slice(0, -1) });
    const { code, json } = await history();
    expect(code).toBe(1);
    expect(json.status).toBe('broken');
    expect(json.problems).toMatchObject([{ kind: 'gap' }]);
    expect(json.problems[0]!.message).toContain('receipt 4 is missing');
    const text = await alice(['history', 'weba']);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('chain BROKEN');
    expect(text.stdout).toContain('the hub hid it');
  });

  it('names a middle receipt the hub dropped', async () => {
    lieHistory = (h) => ({ ...h, receipts: h.receipts.filter((_, i) => i !== 1) });
    const { code, json } = await history();
    expect(code).toBe(1);
    expect(json.problems.map((p) => p.message)).toEqual(['receipt 2 is missing: the hub hid it']);
  });

  it('names two receipts the hub swapped', async () => {
    lieHistory = (h) => {
      const r = [...h.receipts];
      [r[1], r[2]] = [r[2]!, r[1]!];
      return { ...h, receipts: r };
    };
    const { code, json } = await history();
    expect(code).toBe(1);
    expect(json.problems).toMatchObject([{ kind: 'reordered', seq: 2, after: 3 }]);
  });

  it('names a fork: a second receipt 3, signed with the host key', async () => {
    const key = readPlainKey(join(fleet.dir, 'agents', 'weba', 'state', 'agent-key.json'));
    lieHistory = (h) => {
      const third = receiptOf(h.receipts[2]!);
      const twin = signPayload(RECEIPT_V2_TYPE, { ...third, version: 'v666' }, [nodeSigner(key)]);
      return { ...h, receipts: [...h.receipts.slice(0, 3), twin, h.receipts[3]!] };
    };
    const { code, json } = await history();
    expect(code).toBe(1);
    expect(json.problems).toContainEqual(expect.objectContaining({ kind: 'fork', seq: 3 }));
  });

  it('refuses receipts not signed by the host key', async () => {
    const flip = (sig: string) => `${sig[0] === 'A' ? 'B' : 'A'}${sig.slice(1)}`;
    lieHistory = (h) => ({
      ...h,
      receipts: h.receipts.map((e, i) =>
        i === 3
          ? { ...e, signatures: [{ ...e.signatures[0]!, sig: flip(e.signatures[0]!.sig) }] }
          : e,
      ),
    });
    const { code, json } = await history();
    expect(code).toBe(1);
    expect(json.problems).toContainEqual(expect.objectContaining({ kind: 'unverified' }));
  });
});

describe('list and check, against the heads the agents signed', () => {
  interface Flagged {
    hiddenReceipts: { host: string; problems: string[] }[];
  }

  it('flag nothing while the hub shows every receipt', async () => {
    lieHistory = (h) => h;
    const list = await alice(['list', '--json']);
    expect(list.code, list.stderr).toBe(0);
    expect((JSON.parse(list.stdout) as Flagged).hiddenReceipts).toEqual([]);
    const check = await alice(['check', 'shop', 'v5', '--hosts', 'weba', '--json']);
    expect(check.code, check.stderr).toBe(0);
  });

  it('flag a host whose newest receipt the hub hides, exit 1', async () => {
    lieHistory = (h) => ({ ...h, receipts: h.receipts.filter((r) => receiptOf(r).seq !== 4) });
    const list = await alice(['list', '--json']);
    expect(list.code).toBe(1);
    const flagged = (JSON.parse(list.stdout) as Flagged).hiddenReceipts;
    expect(flagged.map((f) => f.host)).toEqual(['weba']);
    expect(flagged[0]!.problems[0]).toContain('signed 4 as its newest');
    const text = await alice(['list']);
    expect(text.code).toBe(1);
    expect(text.stderr).toContain('serfbort history weba');
    const check = await alice(['check', 'shop', 'v5', '--hosts', 'weba', '--json']);
    expect(check.code).toBe(1);
    expect((JSON.parse(check.stdout) as Flagged).hiddenReceipts).toMatchObject([{ host: 'weba' }]);
    lieHistory = (h) => h;
  });

  it('flag a host the hub leaves out of its answer, or answers for under another name', async () => {
    const leftOut = [{ host: 'weba', problems: ['the hub left this host out of its answer'] }];
    lieHeads = (heads) => heads.filter((h) => h.host !== 'weba');
    const list = await alice(['list', '--json']);
    expect(list.code).toBe(1);
    expect((JSON.parse(list.stdout) as Flagged).hiddenReceipts).toEqual(leftOut);
    // a stranger with no history at all in weba's place would pass as a host with none
    lieHeads = () => [{ host: 'nobody', receipts: [], hello: null, head: null }];
    const check = await alice(['check', 'shop', 'v5', '--hosts', 'weba', '--json']);
    expect(check.code).toBe(1);
    expect((JSON.parse(check.stdout) as Flagged).hiddenReceipts).toEqual(leftOut);
    lieHeads = (heads) => heads;
  });

  it('ask per host when the hub says it has no batched answer, and still flag what it hides', async () => {
    lieHeads = () => UNKNOWN_EVENT;
    lieHistory = (h) => ({ ...h, receipts: h.receipts.filter((r) => receiptOf(r).seq !== 4) });
    const list = await alice(['list', '--json']);
    expect(list.code).toBe(1);
    expect((JSON.parse(list.stdout) as Flagged).hiddenReceipts.map((f) => f.host)).toEqual([
      'weba',
    ]);
    lieHistory = (h) => h;
    const honest = await alice(['list', '--json']);
    expect(honest.code, honest.stderr).toBe(0);
    lieHeads = (heads) => heads;
  });
});

describe('receipts signed since the agent last said hello', () => {
  // the agent stays connected: its hello still names receipt 4, only its re-signed head is newer
  it('are named when the hub hides them, without waiting for a reconnect', async () => {
    lieHistory = (h) => h;
    expectOk(await alice(['deploy', 'shop', 'v6', '--hosts', 'weba', '--yes']), 'deploy v6');
    // the agent signs its new head right after the receipt: wait until the hub stored it
    for (let i = 0; i < 50; i++) {
      const { json } = await history();
      if (json.head?.seq === 5) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const honest = await history();
    expect(honest.json).toMatchObject({ status: 'intact', head: { seq: 5 } });
    lieHistory = (h) => ({ ...h, receipts: h.receipts.filter((r) => receiptOf(r).seq !== 5) });
    const { code, json } = await history();
    expect(code).toBe(1);
    expect(json.problems.map((p) => p.message)).toEqual([
      'receipt 5 is missing: the agent signed 5 as its newest; the hub hid it',
    ]);
    const list = await alice(['list', '--json']);
    expect(list.code).toBe(1);
    lieHistory = (h) => h;
  });

  it('cannot be hidden by withholding the statement this client already verified', async () => {
    // the honest answers above taught this client receipt 5 as weba's head; the liar now
    // drops receipt 5 and the statement, leaving the hello (receipt 4, signed minutes ago)
    lieHistory = (h) => ({
      ...h,
      receipts: h.receipts.filter((r) => receiptOf(r).seq !== 5),
      head: null,
    });
    const { code, json } = await history();
    expect(code).toBe(1);
    expect(json.problems).toMatchObject([{ kind: 'head-regressed' }]);
    expect(json.problems[0]!.message).toContain('verified the agent');
    const list = await alice(['list', '--json']);
    expect(list.code).toBe(1);
    const check = await alice(['check', 'shop', 'v6', '--hosts', 'weba', '--json']);
    expect(check.code).toBe(1);
    lieHistory = (h) => h;
    // the honest hub again: nothing to say, and the memory did not move back
    expect((await history()).json).toMatchObject({ status: 'intact', head: { seq: 5 } });
  });

  it('cannot be hidden by forging the head statement', async () => {
    const stranger = generateKeyPair();
    lieHistory = (h) => {
      const head = JSON.parse(utf8Decode(fromBase64(h.head!.payload))) as { seq: number };
      return {
        ...h,
        receipts: h.receipts.slice(0, -1),
        // the liar re-signs an older head with a key that is not the host's
        head: signPayload(h.head!.payloadType, { ...head, seq: head.seq - 1 }, [
          nodeSigner(stranger),
        ]),
      };
    };
    const { code, json } = await history();
    expect(code).toBe(1);
    expect(json.problems.map((p) => p.kind)).toContain('head-unverified');
    lieHistory = (h) => h;
  });
});

/** The chain with row `seq` edited and every later link recomputed: a consistent rebuild. */
function rebuilt(rows: AuditRow[], seq: number): AuditRow[] {
  let prev = rows[0]!.seq === 1 ? GENESIS_HASH : rows[0]!.prevHash;
  return rows.map((r) => {
    const partial = { ...r, prevHash: prev, body: r.seq === seq ? `${r.body} ` : r.body };
    const row = { ...partial, hash: rowHash(partial) };
    prev = row.hash;
    return row;
  });
}

describe('the audit chain between two sessions', () => {
  it('audit verify walks the running hub chain on this machine', async () => {
    lieAudit = {};
    const r = await alice(['audit', 'verify', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const verdict = JSON.parse(r.stdout) as { ok: boolean; rows: number; headHash: string };
    expect(verdict.ok).toBe(true);
    expect(verdict.rows).toBeGreaterThan(5);
  });

  it('audit verify names a row whose hash no longer holds', async () => {
    lieAudit = {
      rows: (rows) => rows.map((r) => (r.seq === 2 ? { ...r, body: `${r.body} ` } : r)),
    };
    const r = await alice(['audit', 'verify']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('BROKEN at row 2');
    lieAudit = {};
  });

  it('refuses the next session of a hub that rebuilt its history, naming both heads', async () => {
    lieAudit = {};
    expectOk(await alice(['list']), 'list remembers the head');
    // the same history rebuilt from row 2 on: every hash after it differs, the chain still links
    let fakeHead: { seq: number; hash: string } | undefined;
    lieAudit = {
      rows: (rows) => {
        const out = rebuilt(rows, 2);
        fakeHead = { seq: out.at(-1)!.seq, hash: out.at(-1)!.hash };
        return out;
      },
    };
    // first a walk of all rows to learn the rebuilt head the liar will name
    await alice(['audit', 'verify']).catch(() => undefined);
    expect(fakeHead).toBeDefined();
    lieAudit.head = () => fakeHead;
    const r = await alice(['list', '--json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('AUDIT_FORKED');
    expect(r.stderr).toContain('remembered row');
    expect(r.stderr).toContain(fakeHead!.hash.slice(0, 16));
    // an operator who knows why accepts it on purpose, and the next session goes on
    const forget = await alice(['audit', 'forget-head']);
    expect(forget.code, forget.stderr).toBe(0);
    expect(forget.stdout).toContain('forgot the audit head');
    expectOk(await alice(['list']), 'list after forget-head');
    lieAudit = {};
  });

  it('refuses a hub that withholds the audit head it served before: AUDIT_WITHHELD', async () => {
    lieAudit = {};
    // the forged history was accepted above: the honest one is accepted on purpose again
    expectOk(await alice(['audit', 'forget-head']), 'forget the forged head');
    expectOk(await alice(['list']), 'list remembers the head');
    // as a hub too old to serve a head would answer: but this one served one before
    lieAudit = { head: () => UNKNOWN_EVENT };
    const r = await alice(['list', '--json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('AUDIT_WITHHELD');
    expect(r.stderr).toContain('now withholds it (BAD_REQUEST: unknown event)');
    // accepted on purpose, it is what an older hub is: not checked, and said so
    expectOk(await alice(['audit', 'forget-head']), 'forget-head');
    const after = await alice(['list']);
    expect(after.code, after.stderr).toBe(0);
    expect(after.stderr).toContain('does not serve its audit history');
    lieAudit = {};
  });
});
