import { describe, expect, it } from 'vitest';
import { signPayload } from '../envelope/envelope.js';
import { PAYLOAD_TYPES } from '../envelope/payload-types.js';
import { signerFor } from '../keys/signer.js';
import type { ReceiptHeadStatement } from '../schemas/agents.js';
import { key, NOW, verifier } from '../testing/fixtures.js';
import { verifyReceiptHeadStatement } from './host-statements.js';

const host = key(1);
const other = key(2);
const statement: ReceiptHeadStatement = {
  type: 'receipt-head',
  host: 'web-1',
  seq: 7,
  digest: 'ab'.repeat(32),
  at: NOW,
};
const signed = (payload: unknown, type: string = PAYLOAD_TYPES.receiptHead, by = host) =>
  signPayload(type, payload, [signerFor(by)]);

describe("a host's receipt-head statement", () => {
  it('is believed when the host signed it about itself', () => {
    const v = verifyReceiptHeadStatement(signed(statement), 'web-1', host.publicKey, verifier);
    expect(v).toEqual({ ok: true, value: statement });
  });

  it.each([
    ['signed by another key', () => signed(statement, PAYLOAD_TYPES.receiptHead, other), 'web-1'],
    ['signed as another kind', () => signed(statement, PAYLOAD_TYPES.trustReport), 'web-1'],
    ['about another host', () => signed(statement), 'web-2'],
    ['with a field added', () => signed({ ...statement, seq: 8, extra: 1 }), 'web-1'],
    ['with a negative number', () => signed({ ...statement, seq: -1 }), 'web-1'],
    ['with a digest that is not one', () => signed({ ...statement, digest: 'xyz' }), 'web-1'],
  ])('is refused %s', (_what, make, asHost) => {
    expect(verifyReceiptHeadStatement(make(), asHost, host.publicKey, verifier).ok).toBe(false);
  });

  it('is refused when the hub changed the number after signing', () => {
    const envelope = signed(statement);
    const payload = JSON.parse(atob(envelope.payload)) as ReceiptHeadStatement;
    const forged = { ...envelope, payload: btoa(JSON.stringify({ ...payload, seq: 3 })) };
    const v = verifyReceiptHeadStatement(forged, 'web-1', host.publicKey, verifier);
    expect(v).toMatchObject({ ok: false, reason: 'BAD_SIGNATURE' });
  });
});
