import type {
  AgentKeyEvidence,
  AgentKeyRecord,
  Envelope,
  Labels,
  VerifiedKeyring,
  Verifier,
} from '@serfbort/core';
import { openPayload, readApproval, verifyAgentKey } from '@serfbort/core';

/** One host an operator vouched for, as the client saw the signed evidence. */
export interface RosterEntry {
  host: string;
  keyId: string;
  /** base64 Ed25519 public key */
  publicKey: string;
  /** labels the operator signed; null when the evidence signs none (v1 approval, enrollment) */
  labels: Labels | null;
  kind: 'approval' | 'enrollment';
  /** names of the keyring operators whose signatures the evidence carries */
  vouchedBy: string[];
  /** their key ids: the vouching lapses when the keyring no longer lists any of them */
  signers: string[];
  /** when the operator vouched: the approval's time, or the enrollment grant's */
  at: number;
  /** the signed evidence itself, so the file can be re-checked by anyone */
  evidence: AgentKeyEvidence;
}

export type VouchVerdict = { ok: true; entry: RosterEntry } | { ok: false; detail: string };

function signersOf(envelope: Envelope, keyring: VerifiedKeyring) {
  const names = new Map(keyring.keyring.operators.map((o) => [o.keyId, o.name]));
  const ids = [...new Set(envelope.signatures.map((s) => s.keyid))].filter((id) => names.has(id));
  return { ids: ids.sort(), names: [...new Set(ids.map((id) => names.get(id)!))].sort() };
}

function decodedTime(envelope: Envelope, field: 'approvedAt' | 'issuedAt'): number {
  const opened = openPayload(envelope, field === 'approvedAt' ? 'approval' : 'enrollmentGrant');
  if (!opened.ok) return 0;
  if (field === 'approvedAt') {
    const read = readApproval(opened.value.payload, opened.value.version);
    return read.ok ? read.approval.approvedAt : 0;
  }
  const t = (opened.value.payload as { issuedAt?: unknown }).issuedAt;
  return typeof t === 'number' ? t : 0;
}

/**
 * A hub's agent-key record, believed only if its evidence verifies against operators of
 * the keyring the client verified itself; never from the hub's unsigned fields.
 */
export function vouchOf(
  record: AgentKeyRecord,
  keyring: VerifiedKeyring,
  verifier: Verifier,
): VouchVerdict {
  const v = verifyAgentKey(record, keyring, verifier);
  if (!v.ok) return { ok: false, detail: `${v.code}: ${v.detail}` };
  // verified above: what follows only reads the fields the signatures cover
  const signed =
    record.evidence.kind === 'approval' ? record.evidence.approval : record.evidence.grant;
  const signers = signersOf(signed, keyring);
  return {
    ok: true,
    entry: {
      host: v.host,
      keyId: record.keyId,
      publicKey: record.publicKey,
      labels: v.labels,
      kind: record.evidence.kind,
      vouchedBy: signers.names,
      signers: signers.ids,
      at: decodedTime(signed, record.evidence.kind === 'approval' ? 'approvedAt' : 'issuedAt'),
      evidence: record.evidence,
    },
  };
}
