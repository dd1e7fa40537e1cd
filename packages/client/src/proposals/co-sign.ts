import type { DeploymentView, Envelope, ErrorCode, Refusal, Signer } from '@serfbort/core';
import { addSignature, sha256Hex, tryFromBase64 } from '@serfbort/core';

export type CoSignature = Envelope['signatures'][number];

import type { VerifiedProposal } from './verify-proposal.js';

const refuse = (code: ErrorCode, detail: string): Refusal => ({ ok: false, code, detail });

/**
 * Whether this key's signature would count: the proposal is open by the client's own
 * judgement (unexpired, still missing signatures) and the key may deploy it and has not signed.
 */
export function mayCoSign(proposal: VerifiedProposal, keyId: string): { ok: true } | Refusal {
  if (proposal.signatures.some((s) => s.keyId === keyId && s.genuine))
    return refuse('ALREADY_SIGNED', 'your key has signed this request already');
  if (proposal.missing === 0)
    return refuse('CONFLICT', 'the request has every signature it needs already');
  if (proposal.claimedStatus !== 'open')
    return refuse('CONFLICT', `the hub says the proposal is ${proposal.claimedStatus}`);
  if (!proposal.allowedKeys.includes(keyId))
    return refuse(
      'SIGNER_NOT_ALLOWED',
      `your key may not deploy ${proposal.request.app} to this target`,
    );
  return { ok: true };
}

/** The co-signature over the exact payload bytes the client verified: nothing re-serialized. */
export function coSign(proposal: VerifiedProposal, signer: Signer): CoSignature {
  const signed = addSignature(proposal.envelope, signer, proposal.payloadBytes);
  return signed.signatures.find((s) => s.keyid === signer.keyId)!;
}

/**
 * Believes the hub's `submitted` only when the deployment it names carries the very
 * payload that was proposed (a deployment the hub invented, or another request under the
 * id, is PROPOSAL_MISMATCH). The deployment's envelope is then judged like any deploy.
 */
export function confirmSubmitted(
  proposal: VerifiedProposal,
  deployment: DeploymentView | undefined,
): { ok: true } | Refusal {
  if (!deployment)
    return refuse(
      'PROPOSAL_MISMATCH',
      `the hub says ${proposal.requestId} was submitted but serves no such deployment`,
    );
  const bytes = tryFromBase64(deployment.envelope.payload);
  if (deployment.requestId !== proposal.requestId || !bytes || sha256Hex(bytes) !== proposal.digest)
    return refuse(
      'PROPOSAL_MISMATCH',
      `the deployment the hub names for ${proposal.requestId} is not the proposed request`,
    );
  return { ok: true };
}
