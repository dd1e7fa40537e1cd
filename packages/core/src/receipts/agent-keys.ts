import type { AnswerCode, Refusal } from '../codes.js';
import type { Verifier } from '../crypto/policy.js';
import { sha256Hex } from '../digest.js';
import { tryFromBase64 } from '../encoding.js';
import { PAYLOAD_TYPES } from '../envelope/payload-types.js';
import type { EnvelopeRefusal } from '../envelope/verify.js';
import { openPayload, verifyEnvelope, verifySignatures } from '../envelope/verify.js';
import { keyIdOf } from '../keys/key-id.js';
import type { AgentKeyRecord } from '../protocol/views.js';
import type { AgentAuth } from '../schemas/agents.js';
import { enrollmentGrant, readAgentHello } from '../schemas/agents.js';
import type { Labels } from '../schemas/primitives.js';
import type { VerifiedKeyring } from '../trust/keyring.js';
import { verifyApproval } from './approval.js';

export type AgentKeyVerdict =
  | {
      ok: true;
      host: string;
      publicKey: Uint8Array;
      /** labels an operator signed for this host; null when the evidence signs none */
      labels: Labels | null;
    }
  | Refusal<
      | EnvelopeRefusal
      | Extract<AnswerCode, 'AGENT_KEY_MISMATCH' | 'EVIDENCE_MISMATCH' | 'GRANT_EXPIRED'>
    >;

/** The hello an agent enrolled with, in any version this build reads; a reason if not. */
function enrollingHello(
  evidence: unknown,
  keyId: string,
  publicKey: Uint8Array,
  verifier: Verifier,
): AgentAuth | Refusal<EnvelopeRefusal> {
  const opened = openPayload(evidence, 'agentAuth');
  if (!opened.ok) return { ok: false, code: opened.reason, detail: opened.reason };
  const signed = verifySignatures(
    opened.value,
    (id) => (id === keyId ? publicKey : undefined),
    verifier,
  );
  if (!signed.ok) return { ok: false, code: signed.reason, detail: signed.reason };
  const read = readAgentHello(opened.value.payload, opened.value.version);
  return read.ok ? read.hello : { ok: false, code: 'MALFORMED', detail: 'malformed' };
}

/**
 * A client believes an agent key only with an operator's word for it: a signed
 * approval, or a signed enrollment grant plus the agent's own hello carrying the token.
 */
export function verifyAgentKey(
  record: AgentKeyRecord,
  keyring: VerifiedKeyring,
  verifier: Verifier,
): AgentKeyVerdict {
  const publicKey = tryFromBase64(record.publicKey);
  if (publicKey?.length !== 32 || keyIdOf(publicKey) !== record.keyId)
    return { ok: false, code: 'AGENT_KEY_MISMATCH', detail: 'key id does not match key' };
  const operatorKey = (id: string) => keyring.operatorKeys.get(id);
  if (record.evidence.kind === 'approval') {
    const a = verifyApproval(record.evidence.approval, operatorKey, verifier);
    if (!a.ok) return { ok: false, code: a.code, detail: `approval: ${a.detail}` };
    if (
      a.approval.host !== record.host ||
      a.approval.agentKeyId !== record.keyId ||
      a.approval.agentPublicKey !== record.publicKey
    )
      return {
        ok: false,
        code: 'EVIDENCE_MISMATCH',
        detail: 'approval is for another host or key',
      };
    return { ok: true, host: record.host, publicKey, labels: a.labels };
  }
  const g = verifyEnvelope(
    record.evidence.grant,
    PAYLOAD_TYPES.enrollmentGrant,
    operatorKey,
    verifier,
  );
  if (!g.ok) return { ok: false, code: g.reason, detail: `grant: ${g.reason}` };
  const grant = enrollmentGrant.safeParse(g.value.payload);
  if (!grant.success) return { ok: false, code: 'MALFORMED', detail: 'grant: malformed' };
  const hello = enrollingHello(record.evidence.hello, record.keyId, publicKey, verifier);
  if ('ok' in hello) return { ok: false, code: hello.code, detail: `hello: ${hello.detail}` };
  if (!hello.enrollmentToken) return { ok: false, code: 'MALFORMED', detail: 'hello: malformed' };
  if (sha256Hex(hello.enrollmentToken) !== grant.data.tokenHash)
    return { ok: false, code: 'EVIDENCE_MISMATCH', detail: 'token does not match the grant' };
  if (hello.host !== record.host || hello.publicKey !== record.publicKey)
    return { ok: false, code: 'EVIDENCE_MISMATCH', detail: 'hello is for another host or key' };
  if (grant.data.host !== undefined && grant.data.host !== record.host)
    return { ok: false, code: 'EVIDENCE_MISMATCH', detail: 'grant is for another host' };
  if (hello.at > grant.data.expiresAt)
    return { ok: false, code: 'GRANT_EXPIRED', detail: 'enrolled after the grant expired' };
  // an enrollment grant names no labels: the host's labels are its own word
  return { ok: true, host: record.host, publicKey, labels: null };
}

/** host name → key, from records that verify; the rest are left out. */
export function trustedAgentKeys(
  records: readonly AgentKeyRecord[],
  keyring: VerifiedKeyring,
  verifier: Verifier,
): Map<string, Uint8Array> {
  const keys = new Map<string, Uint8Array>();
  for (const r of records) {
    const v = verifyAgentKey(r, keyring, verifier);
    if (v.ok) keys.set(v.host, v.publicKey);
  }
  return keys;
}
