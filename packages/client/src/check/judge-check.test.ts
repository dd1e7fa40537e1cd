import type { CheckAnswerV2, CheckResult, Envelope } from '@serfbort/core';
import { CHECK_ANSWER_V2_TYPE, PAYLOAD_TYPES, signerFor, signPayload } from '@serfbort/core';
import { describe, expect, it } from 'vitest';
import { key, NOW, verifier } from '../testing/fixtures.js';
import type { OwnCheck } from './build-check.js';
import { buildCheckRequest, signCheckRequest } from './build-check.js';
import { goodCheck, judgeCheck } from './judge-check.js';

const operator = signerFor(key(60));
const hosts = { weba: key(61), webb: key(62) };
const agentKeys = new Map(Object.entries(hosts).map(([h, k]) => [h, k.publicKey]));
const known = [{ name: 'weba' }, { name: 'webb' }];
let seed = 0;
const source = (now = NOW) => ({
  now: () => now,
  randomBytes: (n: number) => new Uint8Array(n).fill(++seed),
});
const check = (now = NOW): OwnCheck =>
  signCheckRequest(
    buildCheckRequest(
      { app: 'web', target: { hosts: ['weba', 'webb'] }, timeoutMs: 5_000 },
      source(now),
    ),
    operator,
  );

function answerTo(
  own: OwnCheck,
  host: 'weba' | 'webb',
  over: Partial<CheckAnswerV2> = {},
): Envelope {
  const answer: CheckAnswerV2 = {
    type: 'check-answer',
    requestDigest: own.digest,
    nonce: own.request.nonce,
    host,
    app: 'web',
    configured: true,
    version: 'v2',
    at: own.request.issuedAt + 100,
    ...over,
  };
  return signPayload(CHECK_ANSWER_V2_TYPE, answer, [signerFor(hosts[host])]);
}

const result = (answers: Envelope[], unreachable: string[] = []): CheckResult => ({
  checkId: 'check-0000000001',
  app: 'web',
  answers,
  unreachable,
});

const judge = (own: OwnCheck, r: CheckResult) =>
  judgeCheck({ own, result: r, agentKeys, known, wanted: 'v2', verifier });

describe('judging check answers', () => {
  it('accepts fresh answers to its own request from every host', () => {
    const own = check();
    const rows = judge(own, result([answerTo(own, 'weba'), answerTo(own, 'webb')]));
    expect(rows.map((r) => [r.host, r.status, r.fresh])).toEqual([
      ['weba', 'ok', true],
      ['webb', 'ok', true],
    ]);
    expect(rows.every(goodCheck)).toBe(true);
  });

  it('names an answer kept from yesterday STALE with WRONG_CHECK', () => {
    const yesterday = check(NOW - 86_400_000);
    const own = check();
    const rows = judge(own, result([answerTo(yesterday, 'weba'), answerTo(own, 'webb')]));
    expect(rows[0]).toMatchObject({ host: 'weba', status: 'STALE', code: 'WRONG_CHECK' });
    expect(rows.every(goodCheck)).toBe(false);
  });

  it('names an answer signed outside the window STALE with ANSWER_OUTSIDE_WINDOW', () => {
    const own = check();
    const late = own.request.expiresAt + 3_600_000;
    const rows = judge(own, result([answerTo(own, 'weba', { at: late }), answerTo(own, 'webb')]));
    expect(rows[0]).toMatchObject({ status: 'STALE', code: 'ANSWER_OUTSIDE_WINDOW' });
  });

  it('names a host the hub left out withheld with WITHHELD', () => {
    const own = check();
    const rows = judge(own, result([answerTo(own, 'weba')]));
    expect(rows[1]).toMatchObject({ host: 'webb', status: 'withheld', code: 'WITHHELD' });
    expect(rows.every(goodCheck)).toBe(false);
  });

  it('does not name a host withheld that the hub reports unreachable', () => {
    const own = check();
    const rows = judge(own, result([answerTo(own, 'weba')], ['webb']));
    expect(rows[1]).toMatchObject({ host: 'webb', status: 'unreachable' });
  });

  it('refuses an answer signed by another key UNVERIFIED', () => {
    const own = check();
    const forged = signPayload(
      CHECK_ANSWER_V2_TYPE,
      { ...JSON.parse(atob(answerTo(own, 'weba').payload)) },
      [signerFor(key(66))],
    );
    const rows = judge(own, result([forged, answerTo(own, 'webb')]));
    expect(rows[0]).toMatchObject({ host: 'weba', status: 'UNVERIFIED', verified: false });
  });

  it('shows a host refusal with its code', () => {
    const own = check();
    const refused = answerTo(own, 'weba', {
      configured: false,
      version: null,
      refused: { code: 'SIGNER_NOT_ALLOWED', detail: 'no' },
    });
    const rows = judge(own, result([refused, answerTo(own, 'webb')]));
    expect(rows[0]).toMatchObject({ status: 'refused', code: 'SIGNER_NOT_ALLOWED' });
  });

  it('marks a v1 answer to the hub query as not fresh', () => {
    const own = check();
    const v1 = signPayload(
      PAYLOAD_TYPES.checkAnswer,
      {
        type: 'check-answer',
        checkId: 'check-0000000001',
        host: 'weba',
        app: 'web',
        configured: true,
        version: 'v2',
        at: NOW,
      },
      [signerFor(hosts.weba)],
    );
    const rows = judge(own, result([v1, answerTo(own, 'webb')]));
    expect(rows[0]).toMatchObject({ host: 'weba', status: 'ok', fresh: false });
  });

  it('builds a request with at least 16 random bytes of nonce and a short life', () => {
    const own = check();
    expect(own.request.nonce.length).toBeGreaterThanOrEqual(22);
    expect(own.request.expiresAt - own.request.issuedAt).toBeLessThanOrEqual(5 * 60_000);
  });
});
