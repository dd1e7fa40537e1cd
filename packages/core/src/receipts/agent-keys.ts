import type { Verifier } from '../crypto/policy.js';
import { sha256Hex } from '../digest.js';
import { tryFromBase64 } from '../encoding.js';
import { PAYLOAD_TYPES } from '../envelope/payload-types.js';
import { openPayload, verifyEnvelope, verifySignatures } from '../envelope/verify.js';
import { keyIdOf } from '../keys/key-id.js';
import type { AgentKeyRecord } from '../protocol/views.js';
import type { AgentAuth } from '../schemas/agents.js';
import { approval, enrollmentGrant, readAgentHello } from '../schemas/agents.js';
import type { VerifiedKeyring } from '../trust/keyring.js';

export type AgentKeyVerdict =
  | { ok: true; host: string; publicKey: Uint8Array }
  | { ok: false; why: string };

/** The hello an agent enrolled with, in any version this build reads; a reason if not. */
function enrollingHello(
  evidence: unknown,
  keyId: string,
  publicKey: Uint8Array,
  verifier: Verifier,
): AgentAuth | string {
  const opened = openPayload(evidence, 'agentAuth');
  if (!opened.ok) return opened.reason;
  const signed = verifySignatures(
    opened.value,
    (id) => (id === keyId ? publicKey : undefined),
    verifier,
  );
  if (!signed.ok) return signed.reason;
  const read = readAgentHello(opened.value.payload, opened.value.version);
  return read.ok ? read.hello : 'malformed';
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
    return { ok: false, why: 'key id does not match key' };
  const operatorKey = (id: string) => keyring.operatorKeys.get(id);
  if (record.evidence.kind === 'approval') {
    const v = verifyEnvelope(
      record.evidence.approval,
      PAYLOAD_TYPES.approval,
      operatorKey,
      verifier,
    );
    if (!v.ok) return { ok: false, why: `approval: ${v.reason}` };
    const a = approval.safeParse(v.value.payload);
    if (!a.success) return { ok: false, why: 'approval: malformed' };
    if (
      a.data.host !== record.host ||
      a.data.agentKeyId !== record.keyId ||
      a.data.agentPublicKey !== record.publicKey
    )
      return { ok: false, why: 'approval is for another host or key' };
    return { ok: true, host: record.host, publicKey };
  }
  const g = verifyEnvelope(
    record.evidence.grant,
    PAYLOAD_TYPES.enrollmentGrant,
    operatorKey,
    verifier,
  );
  if (!g.ok) return { ok: false, why: `grant: ${g.reason}` };
  const grant = enrollmentGrant.safeParse(g.value.payload);
  if (!grant.success) return { ok: false, why: 'grant: malformed' };
  const hello = enrollingHello(record.evidence.hello, record.keyId, publicKey, verifier);
  if (typeof hello === 'string') return { ok: false, why: `hello: ${hello}` };
  if (!hello.enrollmentToken) return { ok: false, why: 'hello: malformed' };
  if (sha256Hex(hello.enrollmentToken) !== grant.data.tokenHash)
    return { ok: false, why: 'token does not match the grant' };
  if (hello.host !== record.host || hello.publicKey !== record.publicKey)
    return { ok: false, why: 'hello is for another host or key' };
  if (grant.data.host !== undefined && grant.data.host !== record.host)
    return { ok: false, why: 'grant is for another host' };
  if (hello.at > grant.data.expiresAt)
    return { ok: false, why: 'enrolled after the grant expired' };
  return { ok: true, host: record.host, publicKey };
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
