import type { AnswerCode, Refusal } from '../codes.js';
import type { Verifier } from '../crypto/policy.js';
import { PAYLOAD_TYPES, payloadTypeOf } from '../envelope/payload-types.js';
import type { EnvelopeRefusal } from '../envelope/verify.js';
import { verifyEnvelope } from '../envelope/verify.js';
import { keyIdOf } from '../keys/key-id.js';
import type { CheckAnswer } from '../schemas/agents.js';
import { checkAnswer } from '../schemas/agents.js';
import type { Receipt } from '../schemas/deploy.js';
import { receipt } from '../schemas/deploy.js';
import type { ReceiptV2 } from '../schemas/receipt-chain.js';
import { receiptV2 } from '../schemas/receipt-chain.js';

export const RECEIPT_V2_TYPE = payloadTypeOf('receipt', 2);

/**
 * A receipt of either version; a version-2 one also carries its place in the host's
 * chain, and the artifact when the request named one.
 */
export type AnyReceipt = Receipt & Partial<Pick<ReceiptV2, 'seq' | 'prev' | 'artifact'>>;

export const isChained = (r: AnyReceipt): r is ReceiptV2 => 'seq' in r;

/** The payload type and schema of the receipt version this envelope names (v1 for anything else). */
function receiptVersionOf(envelope: unknown) {
  const type = (envelope as { payloadType?: unknown } | null)?.payloadType;
  return type === RECEIPT_V2_TYPE
    ? { type: RECEIPT_V2_TYPE, schema: receiptV2 as typeof receiptV2 | typeof receipt }
    : {
        type: PAYLOAD_TYPES.receipt as string,
        schema: receipt as typeof receiptV2 | typeof receipt,
      };
}

export type HostAnswerVerdict<T> =
  | { ok: true; value: T }
  | Refusal<
      | EnvelopeRefusal
      | Extract<AnswerCode, 'HOST_KEY_UNKNOWN' | 'WRONG_HOST' | 'WRONG_REQUEST' | 'WRONG_CHECK'>
    >;

/** Signed by the host's approved key, over this payload type, naming that host. */
export function verifyHostSigned<T>(
  envelope: unknown,
  payloadType: string,
  schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } },
  host: string,
  hostOf: (value: T) => string,
  agentKeys: ReadonlyMap<string, Uint8Array>,
  verifier: Verifier,
): HostAnswerVerdict<T> {
  const key = agentKeys.get(host);
  if (!key)
    return { ok: false, code: 'HOST_KEY_UNKNOWN', detail: `no operator-approved key for ${host}` };
  const v = verifyEnvelope(
    envelope,
    payloadType,
    (id) => (id === keyIdOf(key) ? key : undefined),
    verifier,
  );
  if (!v.ok) return { ok: false, code: v.reason, detail: v.reason };
  const parsed = schema.safeParse(v.value.payload);
  if (!parsed.success) return { ok: false, code: 'MALFORMED', detail: 'MALFORMED' };
  if (hostOf(parsed.data) !== host)
    return {
      ok: false,
      code: 'WRONG_HOST',
      detail: `signed for ${hostOf(parsed.data)}, not ${host}`,
    };
  return { ok: true, value: parsed.data };
}

/** A receipt of either version, signed by the host's approved key and naming that host. */
export function verifyHostReceipt(
  envelope: unknown,
  host: string,
  agentKeys: ReadonlyMap<string, Uint8Array>,
  verifier: Verifier,
): HostAnswerVerdict<AnyReceipt> {
  const { type, schema } = receiptVersionOf(envelope);
  return verifyHostSigned<AnyReceipt>(
    envelope,
    type,
    schema,
    host,
    (r) => r.host,
    agentKeys,
    verifier,
  );
}

/**
 * A receipt is believed only if the host's operator-approved key signed it, it names
 * that host, and it answers this exact request (id and digest).
 */
export function verifyReceipt(
  envelope: unknown,
  expect: { host: string; requestId: string; requestDigest: string },
  agentKeys: ReadonlyMap<string, Uint8Array>,
  verifier: Verifier,
): HostAnswerVerdict<AnyReceipt> {
  const v = verifyHostReceipt(envelope, expect.host, agentKeys, verifier);
  if (!v.ok) return v;
  if (v.value.requestId !== expect.requestId || v.value.requestDigest !== expect.requestDigest)
    return { ok: false, code: 'WRONG_REQUEST', detail: 'receipt answers another request' };
  return v;
}

export function verifyCheckAnswer(
  envelope: unknown,
  expect: { host: string; checkId: string },
  agentKeys: ReadonlyMap<string, Uint8Array>,
  verifier: Verifier,
): HostAnswerVerdict<CheckAnswer> {
  const v = verifyHostSigned(
    envelope,
    PAYLOAD_TYPES.checkAnswer,
    checkAnswer,
    expect.host,
    (a) => a.host,
    agentKeys,
    verifier,
  );
  if (!v.ok) return v;
  if (v.value.checkId !== expect.checkId)
    return { ok: false, code: 'WRONG_CHECK', detail: 'answer to another check' };
  return v;
}
