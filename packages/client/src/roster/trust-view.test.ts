import type { TrustReport } from '@serfbort/core';
import {
  currentPayloadType,
  fromBase64,
  signerFor,
  signPayload,
  toBase64,
  utf8Decode,
  utf8Encode,
} from '@serfbort/core';
import { describe, expect, it } from 'vitest';
import { key, NOW, verifier } from '../testing/fixtures.js';
import { judgeTrustView } from './trust-view.js';

const weba = key(80);
const other = key(81);
const report = (over: Partial<TrustReport> = {}, by = weba) =>
  signPayload(
    currentPayloadType('trustReport'),
    {
      type: 'trust-report',
      host: 'weba',
      root: 1,
      rootDigest: 'a'.repeat(64),
      keyring: 5,
      at: NOW,
      ...over,
    } satisfies TrustReport,
    [signerFor(by)],
  );
const newest = { root: 1, keyring: 6 };
const judge = (
  trustReport: ReturnType<typeof report> | undefined,
  hostKey: Uint8Array | undefined = weba.publicKey,
) =>
  judgeTrustView(
    { name: 'weba', ...(trustReport ? { trustReport } : {}) },
    hostKey,
    newest,
    verifier,
  );

describe("a host's trust view", () => {
  it('flags a host behind the newest keyring and root the client verified', () => {
    expect(judge(report())).toMatchObject({
      root: 1,
      keyring: 5,
      verified: true,
      behind: ['keyring v5 < v6'],
    });
    expect(judge(report({ keyring: 6 })).behind).toEqual([]);
    expect(
      judgeTrustView(
        { name: 'weba', trustReport: report() },
        weba.publicKey,
        { root: 2, keyring: 5 },
        verifier,
      ).behind,
    ).toEqual(['root v1 < v2']);
    expect(judge(report({ keyring: null })).behind).toEqual(['keyring none < v6']);
  });

  it("believes no version the hub changed, nor another key's or host's report", () => {
    const signed = report();
    const payload = JSON.parse(utf8Decode(fromBase64(signed.payload))) as TrustReport;
    const raised = {
      ...signed,
      payload: toBase64(utf8Encode(JSON.stringify({ ...payload, keyring: 6 }))),
    };
    expect(judge(raised)).toMatchObject({ verified: false, keyring: null, behind: [] });
    expect(judge(report({}, other)).verified).toBe(false);
    expect(judge(report({ host: 'webb' })).detail).toMatch(/WRONG_HOST|webb/);
    expect(judge(undefined).detail).toMatch(/no trust report/);
    expect(
      judgeTrustView({ name: 'weba', trustReport: report() }, undefined, newest, verifier).detail,
    ).toMatch(/no approved key/);
  });
});
