import type { Envelope } from '@serfbort/core';
import { canonicalBytes, fromBase64, PAYLOAD_TYPES, pae } from '@serfbort/core';
import { nodeEd25519 } from '@serfbort/node';
import { key } from '@serfbort/testkit';

/** The key sampleDeployEnvelope() signs with: the crypto floor's clients trust it. */
const OPERATOR = key(2);
/** The crypto floor's clients sign their receipts with one agent key (the cost does not depend on which). */
const AGENT = key(3);

/**
 * What an agent must do per request, and nothing else: verify the operator's
 * Ed25519 signature over the exact envelope bytes (node:crypto) and sign a
 * receipt of realistic size. No schema, no admission rules: those are the
 * protocol's cost, which the ratio to this floor is meant to expose.
 */
export function agentCrypto(envelope: Envelope, round: number): boolean {
  const payload = fromBase64(envelope.payload);
  const signature = envelope.signatures[0];
  if (!signature) return false;
  const message = pae(envelope.payloadType, payload);
  if (!nodeEd25519.verify(message, fromBase64(signature.sig), OPERATOR.publicKey)) return false;
  const receipt = canonicalBytes({
    type: 'receipt',
    requestId: `floor-${round}`,
    requestDigest: 'f'.repeat(64),
    host: 'floor-host',
    app: 'web',
    version: 'v1.42.0',
    status: 'succeeded',
    exitCode: 0,
    versionBefore: null,
    versionAfter: 'v1.42.0',
    startedAt: Date.now(),
    finishedAt: Date.now(),
  });
  nodeEd25519.sign(pae(PAYLOAD_TYPES.receipt, receipt), AGENT.seed);
  return true;
}
