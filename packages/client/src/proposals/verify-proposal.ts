import type {
  DeployRequest,
  Envelope,
  ErrorCode,
  HostIdentity,
  ProposalStatus,
  ProposalView,
  Refusal,
  TrustState,
  Verifier,
} from '@serfbort/core';
import {
  checkRequest,
  fromBase64,
  operatorsAllowed,
  targetMatches,
  utf8Decode,
} from '@serfbort/core';

/** One signature the client checked itself against its verified keyring. */
export interface ProposalSignature {
  keyId: string;
  /** the keyring's name for the key; absent when the key is not in the keyring */
  name?: string;
  /** verifies over the exact payload bytes with a keyring key */
  genuine: boolean;
  /** genuine, and the key may deploy this app to these hosts: it counts toward the threshold */
  counts: boolean;
}

export interface VerifiedProposal {
  requestId: string;
  request: DeployRequest;
  envelope: Envelope;
  /** the exact bytes every signature covers, and as text for review */
  payloadBytes: Uint8Array;
  payloadText: string;
  /** SHA-256 of the payload: what the deployment and every receipt must name */
  digest: string;
  signatures: ProposalSignature[];
  /** the app's threshold in the verified keyring */
  threshold: number;
  /** distinct counting keys so far */
  have: number;
  /** signatures still needed (0: the request is complete) */
  missing: number;
  /** keyring keys allowed this app on these hosts: whoever could co-sign it */
  allowedKeys: string[];
  /** the hub's word for its status; `submitted` holds only once confirmSubmitted says so */
  claimedStatus: ProposalStatus;
  /** the hub's word for who proposed it; `proposerSigned` says whether that key signed it */
  proposedBy: string;
  proposedByName?: string;
  proposerSigned: boolean;
}

export type ProposalVerdict = ({ ok: true } & VerifiedProposal) | Refusal;

const refuse = (code: ErrorCode, detail: string): Refusal => ({ ok: false, code, detail });

/**
 * A proposal as the hub serves it, judged from its envelope alone against the client's own
 * verified trust (the pinned root's chain): the rules every agent checks (core's
 * checkRequest), which signatures are genuine, and how many more the app needs. The hub
 * is untrusted: an altered payload, an invented signature or a foreign request id is
 * caught here, and a proposal that fails is never shown as something to sign.
 * `known` are hosts whose labels the client trusts (its roster): those the target names
 * are judged against each signer's selectors; without any, a selector target must lie
 * provably inside them (core's authorize).
 */
export function verifyProposal(
  view: ProposalView,
  trust: TrustState,
  now: number,
  verifier: Verifier,
  known?: readonly HostIdentity[],
): ProposalVerdict {
  const checked = checkRequest({ envelope: view.envelope, trust, now, verifier });
  if (!checked.ok) return refuse(checked.code, checked.detail);
  const { request, envelope, digest, keyring } = checked;
  if (request.id !== view.requestId)
    return refuse(
      'WRONG_REQUEST',
      `the hub lists ${view.requestId} but the signed request is ${request.id}`,
    );
  const hosts = known?.filter((h) => targetMatches(request.target, h));
  const query = {
    app: request.app,
    target: request.target,
    now,
    ...(hosts?.length ? { hosts } : {}),
  };
  const counting = new Set(
    operatorsAllowed(keyring.keyring, { ...query, signers: checked.signers }).map((o) => o.keyId),
  );
  const signatures = envelope.signatures.map(({ keyid }) => {
    const entry = keyring.keyring.operators.find((o) => o.keyId === keyid);
    return {
      keyId: keyid,
      ...(entry ? { name: entry.name } : {}),
      genuine: checked.signers.includes(keyid),
      counts: counting.has(keyid),
    };
  });
  // the hub checks every signature before it stores one, so a keyring key's signature that
  // does not verify over these bytes was made up by the hub (a key missing from the keyring
  // may have been revoked since it signed: that one only does not count)
  const invented = signatures.find((s) => s.name !== undefined && !s.genuine);
  if (invented)
    return refuse(
      'BAD_SIGNATURE',
      `the signature attributed to ${invented.name} does not verify over these bytes`,
    );
  const everyone = keyring.keyring.operators.map((o) => o.keyId);
  const allowedKeys = operatorsAllowed(keyring.keyring, { ...query, signers: everyone }).map(
    (o) => o.keyId,
  );
  const threshold = keyring.keyring.policies[request.app]?.threshold ?? 1;
  const payloadBytes = fromBase64(envelope.payload);
  return {
    ok: true,
    requestId: request.id,
    request,
    envelope,
    payloadBytes,
    payloadText: utf8Decode(payloadBytes),
    digest,
    signatures,
    threshold,
    have: counting.size,
    missing: Math.max(0, threshold - counting.size),
    allowedKeys,
    claimedStatus: view.status,
    proposedBy: view.proposedBy,
    ...(view.proposedByName ? { proposedByName: view.proposedByName } : {}),
    proposerSigned: checked.signers.includes(view.proposedBy),
  };
}
