import type { Refusal } from '../codes.js';
import type { Verifier } from '../crypto/policy.js';
import type { Envelope } from '../envelope/envelope.js';
import type { EnvelopeRefusal } from '../envelope/verify.js';
import { openPayload, verifySignatures } from '../envelope/verify.js';
import type { Approval } from '../schemas/agents.js';
import { readApproval } from '../schemas/agents.js';
import type { Labels } from '../schemas/primitives.js';

export type ApprovalVerdict =
  | {
      ok: true;
      approval: Approval;
      /** the labels the operator signed; null for a version-1 approval, which signs none */
      labels: Labels | null;
      envelope: Envelope;
      signers: string[];
    }
  | Refusal<EnvelopeRefusal>;

/**
 * An operator's approval in any version this build reads, signed by a key the caller
 * trusts: the hub before it lets a key in, a client before it believes a receipt.
 */
export function verifyApproval(
  input: unknown,
  operatorKey: (keyId: string) => Uint8Array | undefined,
  verifier: Verifier,
): ApprovalVerdict {
  const opened = openPayload(input, 'approval');
  if (!opened.ok) return { ok: false, code: opened.reason, detail: opened.detail ?? opened.reason };
  const signed = verifySignatures(opened.value, operatorKey, verifier);
  if (!signed.ok) return { ok: false, code: signed.reason, detail: signed.detail ?? signed.reason };
  const read = readApproval(opened.value.payload, opened.value.version);
  if (!read.ok) return { ok: false, code: 'MALFORMED', detail: `approval: ${read.detail}` };
  return {
    ok: true,
    approval: read.approval,
    labels: read.labels,
    envelope: signed.value.envelope,
    signers: signed.value.signers,
  };
}
