import {
  type DeploymentView,
  type DeployRequest,
  deployRequest,
  type HostProgress,
  PAYLOAD_TYPES,
  type Receipt,
  sha256Hex,
  type VerifiedKeyring,
  verifyEnvelope,
  verifyReceipt,
} from '@serfbort/core';
import { browserVerifier } from '@/lib/crypto';
import type { AgentKeyLookup } from '@/lib/trust/agent-keys';

export type RequestVerdict =
  | { ok: true; request: DeployRequest; digest: string; signers: string[] }
  | { ok: false; why: string };

/** The request as signed (not as the hub summarises it), verified against the keyring. */
export function verifyRequestEnvelope(
  view: DeploymentView,
  keyring: VerifiedKeyring | null,
): RequestVerdict {
  if (!keyring) return { ok: false, why: 'no verified keyring' };
  const v = verifyEnvelope(
    view.envelope,
    PAYLOAD_TYPES.deploy,
    (id) => keyring.operatorKeys.get(id),
    browserVerifier,
  );
  if (!v.ok) return { ok: false, why: v.reason };
  const parsed = deployRequest.safeParse(v.value.payload);
  if (!parsed.success) return { ok: false, why: 'MALFORMED' };
  if (parsed.data.id !== view.requestId)
    return { ok: false, why: 'the signed request has another id' };
  return {
    ok: true,
    request: parsed.data,
    digest: sha256Hex(v.value.payloadBytes),
    signers: v.value.signers,
  };
}

export type ReceiptVerdict =
  | { kind: 'verified'; receipt: Receipt }
  | { kind: 'unverified'; why: string }
  | { kind: 'none' };

/**
 * A host's outcome is believed only from its receipt, signed by the key an operator
 * approved for that host and answering this exact request.
 */
export function verifyHostReceipt(
  host: HostProgress,
  requestId: string,
  digest: string | null,
  lookup: AgentKeyLookup,
): ReceiptVerdict {
  if (!host.receipt) return { kind: 'none' };
  if (!digest) return { kind: 'unverified', why: 'the request itself did not verify' };
  const key = lookup(host.host);
  if (!key.ok) return { kind: 'unverified', why: key.why };
  const v = verifyReceipt(
    host.receipt,
    { host: host.host, requestId, requestDigest: digest },
    new Map([[host.host, key.key]]),
    browserVerifier,
  );
  if (!v.ok) return { kind: 'unverified', why: v.detail };
  if (v.value.status !== host.state)
    return {
      kind: 'unverified',
      why: `the hub says ${host.state}, the signed receipt says ${v.value.status}`,
    };
  return { kind: 'verified', receipt: v.value };
}
