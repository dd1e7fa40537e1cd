import type { Envelope, Receipt } from '@serfbort/core';
import {
  currentPayloadType,
  fromBase64,
  keyIdOf,
  PAYLOAD_TYPES,
  payloadTypeOf,
  RECEIPT_HEAD_STALE_MS,
  RECEIPT_V2_TYPE,
  SPEAKS_THIS_BUILD,
  sha256Hex,
  signerFor,
  signPayload,
  toBase64,
} from '@serfbort/core';
import { describe, expect, it } from 'vitest';
import { key, NOW, verifier } from '../testing/fixtures.js';
import { nextRememberedHead, parseHeadMemory } from './head-memory.js';
import { describeProblem } from './history-types.js';
import { verifyHistory } from './verify-history.js';

const agent = key(41);
const stranger = key(42);
const agentKeys = new Map([['web-1', agent.publicKey]]);

const base = (n: number): Receipt => ({
  type: 'receipt',
  requestId: `request-${String(n).padStart(4, '0')}`,
  requestDigest: 'd'.repeat(64),
  host: 'web-1',
  app: 'web',
  version: `v${n}`,
  status: 'succeeded',
  exitCode: 0,
  versionBefore: null,
  versionAfter: `v${n}`,
  startedAt: NOW + n,
  finishedAt: NOW + n,
});

const digestOf = (e: Envelope) => sha256Hex(fromBase64(e.payload));

/** A chain of `n` receipts as the agent signs them: 1, 2, … each linking to the one before. */
function chain(n: number, by = agent): Envelope[] {
  const out: Envelope[] = [];
  for (let seq = 1; seq <= n; seq++) {
    const prev = out.at(-1);
    out.push(
      signPayload(RECEIPT_V2_TYPE, { ...base(seq), seq, prev: prev ? digestOf(prev) : null }, [
        signerFor(by),
      ]),
    );
  }
  return out;
}

function hello(
  seq: number,
  digest: string | null,
  by = agent,
  speaks: object = SPEAKS_THIS_BUILD,
): Envelope {
  return signPayload(
    currentPayloadType('agentAuth'),
    {
      type: 'agent-auth',
      nonce: 'n'.repeat(22),
      hubId: 'hub-1',
      host: 'web-1',
      publicKey: toBase64(by.publicKey),
      labels: {},
      apps: ['web'],
      agentVersion: '0.1.0',
      at: NOW,
      speaks,
      receipts: { seq, digest },
    },
    [signerFor(by)],
  );
}

/** A hello of an agent older than receipt heads (version 2: no head, no receipt-head statements). */
function helloV2(by = agent): Envelope {
  return signPayload(
    payloadTypeOf('agentAuth', 2),
    {
      type: 'agent-auth',
      nonce: 'n'.repeat(22),
      hubId: 'hub-1',
      host: 'web-1',
      publicKey: toBase64(by.publicKey),
      labels: {},
      apps: ['web'],
      agentVersion: '0.0.9',
      at: NOW,
      speaks: { deploy: [1] },
    },
    [signerFor(by)],
  );
}

const headOf = (receipts: Envelope[]) => hello(receipts.length, digestOf(receipts.at(-1)!));
const verify = (receipts: Envelope[], helloEnv: Envelope | null, limit = 100) =>
  verifyHistory({ host: 'web-1', receipts, hello: helloEnv, limit, agentKeys, verifier });

describe('verifyHistory', () => {
  it('calls a continuous chain up to the signed head intact', () => {
    const r = chain(5);
    const v = verify(r, headOf(r));
    expect(v.problems).toEqual([]);
    expect(v.status).toBe('intact');
    expect(v.entries.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(v.head).toMatchObject({ seq: 5 });
  });

  it('names the newest receipt the hub hid, from the agent signed head', () => {
    const r = chain(5);
    const v = verify(r.slice(0, 4), headOf(r));
    expect(v.status).toBe('broken');
    expect(v.problems).toEqual([{ kind: 'gap', from: 5, to: 5, newest: true }]);
    expect(describeProblem(v.problems[0]!)).toContain('receipt 5 is missing');
  });

  it('names a gap in the middle', () => {
    const r = chain(6);
    const v = verify([r[0]!, r[1]!, r[2]!, r[5]!], headOf(r));
    expect(v.problems).toEqual([{ kind: 'gap', from: 4, to: 5, newest: false }]);
    expect(describeProblem(v.problems[0]!)).toBe('receipts 4–5 are missing: the hub hid them');
  });

  it('names a reordering', () => {
    const r = chain(4);
    const v = verify([r[0]!, r[2]!, r[1]!, r[3]!], headOf(r));
    expect(v.problems).toEqual([{ kind: 'reordered', seq: 2, after: 3 }]);
  });

  it('names a fork: two receipts with one number', () => {
    const r = chain(3);
    const other = signPayload(RECEIPT_V2_TYPE, { ...base(9), seq: 3, prev: digestOf(r[1]!) }, [
      signerFor(agent),
    ]);
    const v = verify([...r, other], headOf(r));
    expect(v.problems).toContainEqual({ kind: 'fork', seq: 3 });
  });

  it('names a head the hub shows another receipt for', () => {
    const r = chain(3);
    const v = verify(r, hello(3, 'e'.repeat(64)));
    expect(v.problems).toEqual([{ kind: 'head-mismatch', seq: 3 }]);
  });

  it('names a receipt whose link does not hold', () => {
    const r = chain(2);
    const bad = signPayload(RECEIPT_V2_TYPE, { ...base(3), seq: 3, prev: 'f'.repeat(64) }, [
      signerFor(agent),
    ]);
    expect(verify([...r, bad], null).problems).toEqual([{ kind: 'broken-link', seq: 3 }]);
  });

  it('refuses receipts and heads not signed by the host key', () => {
    const r = chain(2, stranger);
    const v = verify(r, hello(2, digestOf(r[1]!), stranger));
    expect(v.status).toBe('broken');
    expect(v.problems.map((p) => p.kind)).toEqual(['unverified', 'unverified', 'head-unverified']);
  });

  it('judges only from the first shown when a full page left older receipts out', () => {
    const r = chain(6);
    expect(verify(r.slice(3), headOf(r), 3).problems).toEqual([]);
    expect(verify(r.slice(3), headOf(r), 100).problems).toEqual([
      { kind: 'gap', from: 1, to: 3, newest: false },
    ]);
  });

  it('calls version-1 receipts unproven, not broken', () => {
    const v1 = signPayload(PAYLOAD_TYPES.receipt, base(1), [signerFor(agent)]);
    const v = verify([v1], null);
    expect(v.status).toBe('unproven');
    expect(v.entries[0]).toMatchObject({ seq: null });
  });

  it('reads an older hello (v2, no head) as no head', () => {
    const old = helloV2();
    const v = verify(chain(2), old);
    expect(v.head).toBeNull();
    expect(v.status).toBe('unproven');
  });

  describe('with the receipt-head statement the agent re-signs while it runs', () => {
    const statement = (receipts: Envelope[], at = NOW + 60_000, by = agent) =>
      signPayload(
        currentPayloadType('receiptHead'),
        {
          type: 'receipt-head',
          host: 'web-1',
          seq: receipts.length,
          digest: receipts.length ? digestOf(receipts.at(-1)!) : null,
          at,
        },
        [signerFor(by)],
      );
    const judge = (
      receipts: Envelope[],
      helloEnv: Envelope,
      head: unknown,
      freshness?: { online: boolean; now: number },
    ) =>
      verifyHistory({
        host: 'web-1',
        receipts,
        hello: helloEnv,
        head,
        limit: 100,
        agentKeys,
        verifier,
        ...(freshness ? { freshness } : {}),
      });

    it('names a receipt signed after the last hello that the hub hid', () => {
      const r = chain(5);
      // the hello stated receipt 3; receipts 4 and 5 came after, the statement says so
      const v = judge(r.slice(0, 3), headOf(r.slice(0, 3)), statement(r));
      expect(v.problems).toEqual([{ kind: 'gap', from: 4, to: 5, newest: true }]);
      expect(v.head).toMatchObject({ seq: 5 });
      expect(describeProblem(v.problems[0]!)).toBe(
        'receipts 4–5 are missing: the agent signed 5 as its newest; the hub hid them',
      );
    });

    it('keeps the hello when it is newer than a replayed statement', () => {
      const r = chain(5);
      const v = judge(r.slice(0, 4), headOf(r), statement(r.slice(0, 4)));
      expect(v.problems).toEqual([{ kind: 'gap', from: 5, to: 5, newest: true }]);
    });

    it('refuses a statement the hub forged or took from another host', () => {
      const r = chain(3);
      const v = judge(r, headOf(r), statement(chain(4), NOW, stranger));
      expect(v.problems).toMatchObject([{ kind: 'head-unverified' }]);
      expect(v.status).toBe('broken');
    });

    it('names a head too old for an online host that re-signs it', () => {
      const r = chain(3);
      const now = NOW + 60_000 + RECEIPT_HEAD_STALE_MS + 1;
      const v = judge(r, headOf(r), statement(r), { online: true, now });
      expect(v.problems).toEqual([{ kind: 'head-stale', ageMs: RECEIPT_HEAD_STALE_MS + 1 }]);
      expect(describeProblem(v.problems[0]!)).toContain('the hub may be holding back');
      // offline, it signs nothing new; fresh enough, nothing to say
      expect(judge(r, headOf(r), statement(r), { online: false, now }).problems).toEqual([]);
      expect(judge(r, headOf(r), statement(r), { online: true, now: now - 2 }).problems).toEqual(
        [],
      );
    });

    it('names a withheld statement by the age of the hello alone', () => {
      const r = chain(3);
      const now = NOW + RECEIPT_HEAD_STALE_MS + 1;
      expect(judge(r, headOf(r), null, { online: true, now }).problems).toMatchObject([
        { kind: 'head-stale' },
      ]);
    });
  });
});

describe('the head this client verified before', () => {
  const agentKeyId = keyIdOf(agent.publicKey);
  const judge = (
    receipts: Envelope[],
    helloEnv: Envelope,
    remembered?: Parameters<typeof verifyHistory>[0]['remembered'],
    freshness?: { online: boolean; now: number },
  ) =>
    verifyHistory({
      host: 'web-1',
      receipts,
      hello: helloEnv,
      limit: 100,
      agentKeys,
      verifier,
      ...(remembered ? { remembered } : {}),
      ...(freshness ? { freshness } : {}),
    });
  const seen = (receipts: Envelope[]) =>
    nextRememberedHead(undefined, judge(receipts, headOf(receipts)), agentKeyId)!;

  it('is remembered with the agent re-signing, and moves only forward', () => {
    const r = chain(5);
    const five = seen(r);
    expect(five).toMatchObject({ keyId: agentKeyId, seq: 5, resigns: true });
    // the verdict carries the same memory to keep
    expect(judge(r, headOf(r)).remember).toEqual(five);
    expect(judge(r, headOf(r), five).remember).toBeUndefined();
    // an older head does not roll the memory back; a newer one moves it
    expect(nextRememberedHead(five, judge(r.slice(0, 3), headOf(r.slice(0, 3))), agentKeyId)).toBe(
      undefined,
    );
    const six = chain(6);
    expect(nextRememberedHead(five, judge(six, headOf(six)), agentKeyId)).toMatchObject({
      seq: 6,
    });
    // a new key starts its own chain: the memory follows it
    expect(
      nextRememberedHead(five, judge(r.slice(0, 1), headOf(r.slice(0, 1))), 'other'),
    ).toMatchObject({ keyId: 'other', seq: 1 });
  });

  it('names an older hello the hub serves to hide newer receipts (head-regressed)', () => {
    const r = chain(5);
    const remembered = seen(r);
    const v = judge(r.slice(0, 3), headOf(r.slice(0, 3)), remembered);
    expect(v.problems).toEqual([{ kind: 'head-regressed', remembered: 5, shown: 3 }]);
    expect(v.status).toBe('broken');
    expect(describeProblem(v.problems[0]!)).toContain('may be hiding what came after');
  });

  it('names a hello from before the agent signed heads at all, and still judges staleness', () => {
    const r = chain(5);
    const remembered = seen(r);
    // the hub serves an old hello with no head: on its own that is only "unproven"
    expect(judge(r.slice(0, 3), helloV2()).status).toBe('unproven');
    const v = judge(r.slice(0, 3), helloV2(), remembered, { online: true, now: NOW });
    expect(v.problems).toEqual([{ kind: 'head-regressed', remembered: 5, shown: null }]);
    // the same head from a hello of before the agent re-signed heads (no receipt-head in
    // its speaks): an agent known to re-sign is still judged stale when online
    const notResigning = hello(5, digestOf(r.at(-1)!), agent, { deploy: [1] });
    const later = { online: true, now: NOW + RECEIPT_HEAD_STALE_MS + 1 };
    expect(judge(r, notResigning, undefined, later).problems).toEqual([]);
    const same = judge(r, notResigning, remembered, {
      online: true,
      now: NOW + RECEIPT_HEAD_STALE_MS + 1,
    });
    expect(same.problems).toEqual([{ kind: 'head-stale', ageMs: RECEIPT_HEAD_STALE_MS + 1 }]);
  });

  it('names another receipt at the remembered number (head-forked)', () => {
    const r = chain(3);
    const remembered = seen(r);
    const other = chain(3, agent).map((e) => e);
    // a different third receipt: same key, another payload
    const forked = [
      ...other.slice(0, 2),
      signPayload(RECEIPT_V2_TYPE, { ...base(99), seq: 3, prev: digestOf(other[1]!) }, [
        signerFor(agent),
      ]),
    ];
    const v = judge(forked, headOf(forked), remembered);
    expect(v.problems).toEqual([{ kind: 'head-forked', seq: 3 }]);
  });

  it('ignores a memory of another key (the host was re-keyed)', () => {
    const r = chain(5);
    const remembered = { ...seen(r), keyId: 'an-older-key' };
    expect(judge(r.slice(0, 2), headOf(r.slice(0, 2)), remembered).problems).toEqual([]);
  });

  it('reads a stored memory strictly', () => {
    const good = { 'web-1': seen(chain(2)) };
    expect(parseHeadMemory(JSON.parse(JSON.stringify(good)))).toEqual(good);
    expect(parseHeadMemory({ 'web-1': { ...good['web-1'], seq: -1 } })).toBeUndefined();
    expect(parseHeadMemory({ 'web-1': { ...good['web-1'], extra: 1 } })).toBeUndefined();
    expect(parseHeadMemory([])).toBeUndefined();
  });
});
