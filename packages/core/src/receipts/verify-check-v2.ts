import type { Verifier } from '../crypto/policy.js';
import { payloadTypeOf } from '../envelope/payload-types.js';
import type { CheckAnswerV2 } from '../schemas/check.js';
import { checkAnswerV2 } from '../schemas/check.js';
import type { HostAnswerVerdict } from './verify-receipt.js';
import { verifyHostSigned } from './verify-receipt.js';

export const CHECK_ANSWER_V2_TYPE = payloadTypeOf('checkAnswer', 2);

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
): HostAnswerVerdict<CheckAnswerV2> {
  const v = verifyHostSigned(
    envelope,
    CHECK_ANSWER_V2_TYPE,
    checkAnswerV2,
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
