import type { Verifier } from '../crypto/policy.js';
import { PAYLOAD_TYPES } from '../envelope/payload-types.js';
import { verifyEnvelope } from '../envelope/verify.js';
import { keyIdOf } from '../keys/key-id.js';
import type { CheckAnswer } from '../schemas/agents.js';
import { checkAnswer } from '../schemas/agents.js';
import type { Receipt } from '../schemas/deploy.js';
import { receipt } from '../schemas/deploy.js';

export type HostAnswerVerdict<T> = { ok: true; value: T } | { ok: false; why: string };

function verifyHostSigned<T>(
  envelope: unknown,
  payloadType: string,
  schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } },
  host: string,
  hostOf: (value: T) => string,
  agentKeys: ReadonlyMap<string, Uint8Array>,
  verifier: Verifier,
): HostAnswerVerdict<T> {
  const key = agentKeys.get(host);
  if (!key) return { ok: false, why: `no operator-approved key for ${host}` };
  const v = verifyEnvelope(
    envelope,
    payloadType,
    (id) => (id === keyIdOf(key) ? key : undefined),
    verifier,
  );
  if (!v.ok) return { ok: false, why: v.reason };
  const parsed = schema.safeParse(v.value.payload);
  if (!parsed.success) return { ok: false, why: 'MALFORMED' };
  if (hostOf(parsed.data) !== host)
    return { ok: false, why: `signed for ${hostOf(parsed.data)}, not ${host}` };
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
): HostAnswerVerdict<Receipt> {
  const v = verifyHostSigned(
    envelope,
    PAYLOAD_TYPES.receipt,
    receipt,
    expect.host,
    (r) => r.host,
    agentKeys,
    verifier,
  );
  if (!v.ok) return v;
  if (v.value.requestId !== expect.requestId || v.value.requestDigest !== expect.requestDigest)
    return { ok: false, why: 'receipt answers another request' };
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
  if (v.value.checkId !== expect.checkId) return { ok: false, why: 'answer to another check' };
  return v;
}
