import type { AdmissionCode } from '../codes.js';
import type { Verifier } from '../crypto/policy.js';
import { toHex, tryFromBase64, utf8Decode } from '../encoding.js';
import { LIMITS } from '../limits.js';
import { SPOKEN_VERSIONS } from '../protocol/versions.js';
import { isCanonicalJson, isOwnPayloadType } from './canonical.js';
import type { Envelope } from './envelope.js';
import { envelopeSchema } from './envelope.js';
import { pae } from './pae.js';
import type { PayloadKind } from './payload-types.js';
import { parsePayloadType } from './payload-types.js';

export type EnvelopeRefusal = Extract<
  AdmissionCode,
  | 'MALFORMED'
  | 'OVERSIZED'
  | 'WRONG_PAYLOAD_TYPE'
  | 'UNSUPPORTED_VERSION'
  | 'BAD_SIGNATURE'
  | 'UNKNOWN_SIGNER'
>;

export interface OpenedEnvelope {
  envelope: Envelope;
  payloadBytes: Uint8Array;
  /** JSON.parse of the payload; still untrusted in shape until a schema says otherwise */
  payload: unknown;
}

/** An envelope of one kind, in one of the versions the caller reads. */
export interface OpenedPayload extends OpenedEnvelope {
  version: number;
}

export interface VerifiedEnvelope extends OpenedEnvelope {
  /** key ids whose signatures verified, one per distinct public key */
  signers: string[];
}

export type Result<T, E> = { ok: true; value: T } | { ok: false; reason: E; detail?: string };
export const ok = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });
export const fail = <E>(reason: E, detail?: string): { ok: false; reason: E; detail?: string } =>
  detail === undefined ? { ok: false, reason } : { ok: false, reason, detail };

function jsonDepthWithin(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') {
      if (++depth > max) return false;
    } else if (c === '}' || c === ']') depth--;
  }
  return true;
}

/**
 * A type the caller does not read: another version of the same kind is a version this
 * build does not speak (the sender may be newer), anything else is the wrong type.
 */
function typeRefusal(
  got: string,
  kind: PayloadKind | undefined,
  expected: string,
): { ok: false; reason: EnvelopeRefusal; detail?: string } {
  const shown = got.slice(0, 100);
  const parsed = parsePayloadType(got);
  if (parsed && parsed.kind === kind)
    return fail(
      'UNSUPPORTED_VERSION',
      `${shown} is a version this build does not read (${expected})`,
    );
  return fail('WRONG_PAYLOAD_TYPE', `expected ${expected}, got ${shown}`);
}

function openShape(input: unknown): Result<Envelope, EnvelopeRefusal> {
  const parsed = envelopeSchema.safeParse(input);
  if (parsed.success) return ok(parsed.data);
  const tooBig = parsed.error.issues.some((i) => i.code === 'too_big');
  return fail(tooBig ? 'OVERSIZED' : 'MALFORMED', parsed.error.issues[0]?.message);
}

/**
 * Structure, size and type only — no signature yet. Never throws.
 * The payload is parsed from the exact bytes that will be verified.
 */
export function openEnvelope(
  input: unknown,
  expectedType: string,
): Result<OpenedEnvelope, EnvelopeRefusal> {
  const shape = openShape(input);
  if (!shape.ok) return shape;
  const type = shape.value.payloadType;
  if (type !== expectedType)
    return typeRefusal(type, parsePayloadType(expectedType)?.kind, expectedType);
  return parsePayloadBytes(shape.value);
}

/**
 * Like openEnvelope, for every version of `kind` in `versions` (by default those this
 * build speaks), and says which version it was.
 */
export function openPayload(
  input: unknown,
  kind: PayloadKind,
  versions: readonly number[] = SPOKEN_VERSIONS[kind],
): Result<OpenedPayload, EnvelopeRefusal> {
  const shape = openShape(input);
  if (!shape.ok) return shape;
  const type = shape.value.payloadType;
  const parsed = parsePayloadType(type);
  if (parsed?.kind !== kind || !versions.includes(parsed.version))
    return typeRefusal(type, kind, `${kind} version ${versions.join(' or ')}`);
  const opened = parsePayloadBytes(shape.value);
  return opened.ok ? ok({ ...opened.value, version: parsed.version }) : opened;
}

function parsePayloadBytes(envelope: Envelope): Result<OpenedEnvelope, EnvelopeRefusal> {
  const payloadBytes = tryFromBase64(envelope.payload);
  if (!payloadBytes) return fail('MALFORMED', 'payload is not valid base64');
  if (payloadBytes.length > LIMITS.payloadBytes)
    return fail(
      'OVERSIZED',
      `payload is ${payloadBytes.length} bytes, limit ${LIMITS.payloadBytes}`,
    );
  let payload: unknown;
  try {
    const text = utf8Decode(payloadBytes);
    if (!jsonDepthWithin(text, 16)) return fail('MALFORMED', 'payload JSON is nested too deeply');
    payload = JSON.parse(text);
  } catch {
    return fail('MALFORMED', 'payload is not UTF-8 JSON');
  }
  if (isOwnPayloadType(envelope.payloadType) && !isCanonicalJson(payloadBytes, payload))
    return fail(
      'MALFORMED',
      'payload is not canonical JSON (RFC 8785): a repeated member, or other order or spacing',
    );
  return ok({ envelope, payloadBytes, payload });
}

/**
 * Checks signatures over PAE(type, exact payload bytes) against keys the caller trusts.
 * Counts distinct public keys, never signatures. Never throws.
 */
export function verifySignatures(
  opened: OpenedEnvelope,
  keyFor: (keyId: string) => Uint8Array | undefined,
  verifier: Verifier,
): Result<VerifiedEnvelope, 'BAD_SIGNATURE' | 'UNKNOWN_SIGNER'> {
  const message = pae(opened.envelope.payloadType, opened.payloadBytes);
  const seen = new Set<string>();
  const signers: string[] = [];
  let known = 0;
  for (const { keyid, sig } of opened.envelope.signatures) {
    const publicKey = keyFor(keyid);
    if (publicKey) known++;
    const signature = tryFromBase64(sig);
    if (!publicKey || !signature) continue;
    const keyHex = toHex(publicKey);
    if (seen.has(keyHex)) continue;
    if (verifier.verify(message, signature, publicKey)) {
      seen.add(keyHex);
      signers.push(keyid);
    }
  }
  if (known === 0)
    return fail(
      'UNKNOWN_SIGNER',
      `signed by ${opened.envelope.signatures.map((s) => s.keyid).join(', ')}: no trusted key`,
    );
  if (signers.length === 0)
    return fail('BAD_SIGNATURE', 'no signature verifies with a trusted key');
  return ok({ ...opened, signers });
}

export function verifyEnvelope(
  input: unknown,
  expectedType: string,
  keyFor: (keyId: string) => Uint8Array | undefined,
  verifier: Verifier,
): Result<VerifiedEnvelope, EnvelopeRefusal> {
  const opened = openEnvelope(input, expectedType);
  if (!opened.ok) return opened;
  return verifySignatures(opened.value, keyFor, verifier);
}
