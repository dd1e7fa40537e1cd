import type { CheckRequestPayload, Envelope, Signer, Target } from '@serfbort/core';
import {
  fromBase64,
  LIMITS,
  PAYLOAD_TYPES,
  sha256Hex,
  signPayload,
  toBase64Url,
} from '@serfbort/core';

/** Random bytes in a check nonce: well above the 16 the protocol requires. */
export const CHECK_NONCE_BYTES = 32;
/** ms a check request lives at least: long enough for a slow host, short enough to be of now */
export const CHECK_MIN_LIFETIME_MS = 30_000;

export interface CheckFields {
  app: string;
  target?: Target;
  /** how long hosts have to answer; the request lives a little longer */
  timeoutMs: number;
}

/** Time and randomness are passed in: client does no I/O, and tests pin them. */
export interface CheckSource {
  now(): number;
  randomBytes(n: number): Uint8Array;
}

/** The operator's own check: what it signed and the digest every answer must name. */
export interface OwnCheck {
  request: CheckRequestPayload;
  envelope: Envelope;
  digest: string;
}

/** The one check request builder of the CLI and the dashboard; the nonce is the client's. */
export function buildCheckRequest(fields: CheckFields, src: CheckSource): CheckRequestPayload {
  const now = src.now();
  const lifetime = Math.min(
    Math.max(fields.timeoutMs + 10_000, CHECK_MIN_LIFETIME_MS),
    LIMITS.maxCheckLifetimeMs,
  );
  return {
    type: 'check-request',
    app: fields.app,
    ...(fields.target ? { target: fields.target } : {}),
    nonce: toBase64Url(src.randomBytes(CHECK_NONCE_BYTES)),
    issuedAt: now,
    expiresAt: now + lifetime,
  };
}

/** Signs a check request with the operator's key (node or browser signer). */
export function signCheckRequest(request: CheckRequestPayload, signer: Signer): OwnCheck {
  const envelope = signPayload(PAYLOAD_TYPES.checkRequest, request, [signer]);
  return { request, envelope, digest: sha256Hex(fromBase64(envelope.payload)) };
}
