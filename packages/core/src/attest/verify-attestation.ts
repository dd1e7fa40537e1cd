import type { Verifier } from '../crypto/policy.js';
import { toHex, tryFromBase64 } from '../encoding.js';
import { pae } from '../envelope/pae.js';
import type { DsseEnvelope } from './dsse-envelope.js';
import { IN_TOTO_PAYLOAD_TYPE } from './dsse-envelope.js';
import type { InTotoStatement } from './statement.js';
import { parseStatement } from './statement.js';

/** A key the verifier trusts to attest, by name for messages. */
export interface AttestingKey {
  name: string;
  publicKey: Uint8Array;
  /** the ids a signature may name this key by (serfbort's, securesystemslib's): tried first, never trusted */
  hints?: readonly string[];
}

/** DSSE allows standard or URL-safe base64, padded or not: read both as the same bytes. */
export function fromDsseBase64(text: string): Uint8Array | undefined {
  const standard = text.replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '');
  if (standard.length % 4 === 1) return undefined;
  return tryFromBase64(standard.padEnd(Math.ceil(standard.length / 4) * 4, '='));
}

/**
 * Which of `keys` signed PAE(type, payload bytes), one per distinct key. Every signature is
 * tried against every key, those its key id names first: a DSSE key id is an unauthenticated
 * hint that other tools spell their own way (securesystemslib hashes its key dict), so it
 * orders the tries and never decides.
 */
export function attestingSigners(
  envelope: DsseEnvelope,
  payloadBytes: Uint8Array,
  keys: readonly AttestingKey[],
  verifier: Verifier,
): AttestingKey[] {
  const message = pae(envelope.payloadType, payloadBytes);
  const found = new Map<string, AttestingKey>();
  for (const { keyid, sig } of envelope.signatures) {
    const signature = fromDsseBase64(sig);
    if (!signature) continue;
    // the key the hint names first: one verification for an honest envelope, not one per builder
    const named = keys.filter((k) => keyid !== undefined && k.hints?.includes(keyid));
    for (const key of [...named, ...keys.filter((k) => !named.includes(k))]) {
      const hex = toHex(key.publicKey);
      if (found.has(hex) || !verifier.verify(message, signature, key.publicKey)) continue;
      found.set(hex, key);
      break;
    }
  }
  return [...found.values()];
}

export type AttestationVerdict =
  | { ok: true; statement: InTotoStatement; signers: AttestingKey[] }
  | { ok: false; detail: string };

/** Bytes first, then meaning: the type, signatures over the exact payload, then the statement. */
export function verifyAttestation(
  envelope: DsseEnvelope,
  keys: readonly AttestingKey[],
  verifier: Verifier,
): AttestationVerdict {
  if (envelope.payloadType !== IN_TOTO_PAYLOAD_TYPE)
    return {
      ok: false,
      detail: `payload type ${envelope.payloadType.slice(0, 128)} is not ${IN_TOTO_PAYLOAD_TYPE}`,
    };
  const payloadBytes = fromDsseBase64(envelope.payload);
  if (!payloadBytes) return { ok: false, detail: 'the payload is not base64' };
  const signers = attestingSigners(envelope, payloadBytes, keys, verifier);
  if (signers.length === 0)
    return { ok: false, detail: 'no signature verifies with a builder key the keyring lists' };
  const read = parseStatement(payloadBytes);
  return read.ok ? { ok: true, statement: read.statement, signers } : read;
}
