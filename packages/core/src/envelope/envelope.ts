import { z } from 'zod';
import { canonicalBytes, toBase64 } from '../encoding.js';
import type { Signer } from '../keys/signer.js';
import { LIMITS } from '../limits.js';
import { pae } from './pae.js';

export const signatureSchema = z.strictObject({
  keyid: z.string().regex(/^[0-9a-f]{32}$/),
  sig: z.string().max(100),
});

/** DSSE-style envelope: the exact payload bytes (base64), their type, and signatures over PAE. */
export const envelopeSchema = z.strictObject({
  payloadType: z.string().min(1).max(100),
  payload: z.string().max(Math.ceil(LIMITS.payloadBytes / 3) * 4),
  signatures: z.array(signatureSchema).min(1).max(LIMITS.signaturesPerEnvelope),
});
export type Envelope = z.infer<typeof envelopeSchema>;

export function signBytes(
  payloadType: string,
  payload: Uint8Array,
  signers: readonly Signer[],
): Envelope {
  const message = pae(payloadType, payload);
  return {
    payloadType,
    payload: toBase64(payload),
    signatures: signers.map((s) => ({ keyid: s.keyId, sig: toBase64(s.sign(message)) })),
  };
}

/** Signs a JSON payload as canonical (RFC 8785) bytes. */
export function signPayload(
  payloadType: string,
  payload: unknown,
  signers: readonly Signer[],
): Envelope {
  return signBytes(payloadType, canonicalBytes(payload), signers);
}

/** Adds a co-signature over the exact same bytes (for thresholds above one). */
export function addSignature(
  envelope: Envelope,
  signer: Signer,
  payloadBytes: Uint8Array,
): Envelope {
  const message = pae(envelope.payloadType, payloadBytes);
  const others = envelope.signatures.filter((s) => s.keyid !== signer.keyId);
  return {
    ...envelope,
    signatures: [...others, { keyid: signer.keyId, sig: toBase64(signer.sign(message)) }],
  };
}
