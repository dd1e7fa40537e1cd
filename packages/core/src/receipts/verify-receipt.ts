import type { AnswerCode, Refusal } from '../codes.js';
import type { Verifier } from '../crypto/policy.js';
import { PAYLOAD_TYPES, payloadTypeOf } from '../envelope/payload-types.js';
import type { EnvelopeRefusal } from '../envelope/verify.js';
import { verifyEnvelope } from '../envelope/verify.js';
import { keyIdOf } from '../keys/key-id.js';
import type { CheckAnswer } from '../schemas/agents.js';
import { checkAnswer } from '../schemas/agents.js';
import type { AnyReceipt } from '../schemas/deploy.js';
import { receipt, receiptV2 } from '../schemas/deploy.js';

export const RECEIPT_V2_TYPE = payloadTypeOf('receipt', 2);

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
  // a v2 receipt is read with the v2 schema only: a v1 signature never carries an artifact
  const v2 = (envelope as { payloadType?: unknown } | null)?.payloadType === RECEIPT_V2_TYPE;
  const v = verifyHostSigned<AnyReceipt>(
    envelope,
    v2 ? RECEIPT_V2_TYPE : PAYLOAD_TYPES.receipt,
    v2 ? receiptV2 : receipt,
    expect.host,
    (r) => r.host,
    agentKeys,
    verifier,
  );
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
