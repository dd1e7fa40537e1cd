import { judgeHost } from '@serfbort/client';
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
 * client's one judge, shown in the browser: a host's outcome is believed only from its
 * receipt, signed by the key an operator approved for that host and answering this exact
 * request. The dashboard also refuses a receipt the hub's own state contradicts.
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
  const judged = judgeHost(host.host, host, {
    requestId,
    requestDigest: digest,
    agentKeys: new Map([[host.host, key.key]]),
    verifier: browserVerifier,
  });
  if (judged.kind === 'unverified') return { kind: 'unverified', why: judged.why };
  // a receipt beside a state that is not an answer (running, expired): the hub contradicts itself
  if (judged.kind !== 'verified')
    return { kind: 'unverified', why: `the hub says ${host.state}, yet relays a signed receipt` };
  if (judged.receipt.status !== host.state)
    return {
      kind: 'unverified',
      why: `the hub says ${host.state}, the signed receipt says ${judged.receipt.status}`,
    };
  return { kind: 'verified', receipt: judged.receipt };
}
