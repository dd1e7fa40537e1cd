import type { DeployRequest, Envelope, KeyPair, Receipt } from '@serfbort/core';
import { fromBase64, PAYLOAD_TYPES, sha256Hex, signPayload } from '@serfbort/core';
import { nodeSigner } from '@serfbort/node';

/** A receipt as an agent would sign it for a request it received. */
export function signReceipt(
  agentKey: KeyPair,
  host: string,
  requestEnvelope: Envelope,
  overrides: Partial<Receipt> = {},
  now = Date.now(),
): Envelope {
  const payload = fromBase64(requestEnvelope.payload);
  const request = JSON.parse(new TextDecoder().decode(payload)) as DeployRequest;
  const receipt: Receipt = {
    type: 'receipt',
    requestId: request.id,
    requestDigest: sha256Hex(payload),
    host,
    app: request.app,
    version: request.version,
    status: 'succeeded',
    exitCode: 0,
    versionBefore: null,
    versionAfter: request.version,
    startedAt: now,
    finishedAt: now,
    ...overrides,
  };
  return signPayload(PAYLOAD_TYPES.receipt, receipt, [nodeSigner(agentKey)]);
}
