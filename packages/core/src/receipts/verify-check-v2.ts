import type { Verifier } from '../crypto/policy.js';
import { payloadTypeOf } from '../envelope/payload-types.js';
import type { CheckAnswerSigned } from '../schemas/check.js';
import { checkAnswerV2, checkAnswerV3 } from '../schemas/check.js';
import type { HostAnswerVerdict } from './verify-receipt.js';
import { verifyHostSigned } from './verify-receipt.js';

export const CHECK_ANSWER_V2_TYPE = payloadTypeOf('checkAnswer', 2);
export const CHECK_ANSWER_V3_TYPE = payloadTypeOf('checkAnswer', 3);

/** Whether an answer claims version 2 or 3 (both answer a signed check request). */
export function isSignedCheckAnswer(answer: unknown): boolean {
  const type = (answer as { payloadType?: unknown } | null)?.payloadType;
  return type === CHECK_ANSWER_V2_TYPE || type === CHECK_ANSWER_V3_TYPE;
}

/**
 * A v2 check answer is believed only if the host's approved key signed it, it names that
 * host, and it answers this exact request (digest and nonce): an answer kept from another
 * check cannot be shown for this one.
 */
export function verifyCheckAnswerV2(
  envelope: unknown,
  expect: { host: string; requestDigest: string; nonce: string },
  agentKeys: ReadonlyMap<string, Uint8Array>,
  verifier: Verifier,
): HostAnswerVerdict<CheckAnswerSigned> {
  // v3 is read with the v3 schema only: a v2 signature never carries a digest
  const v3 = (envelope as { payloadType?: unknown } | null)?.payloadType === CHECK_ANSWER_V3_TYPE;
  const v = verifyHostSigned<CheckAnswerSigned>(
    envelope,
    v3 ? CHECK_ANSWER_V3_TYPE : CHECK_ANSWER_V2_TYPE,
    v3 ? checkAnswerV3 : checkAnswerV2,
    expect.host,
    (a) => a.host,
    agentKeys,
    verifier,
  );
  if (!v.ok) return v;
  if (v.value.requestDigest !== expect.requestDigest || v.value.nonce !== expect.nonce)
    return { ok: false, code: 'WRONG_CHECK', detail: 'answer to another check request' };
  return v;
}
