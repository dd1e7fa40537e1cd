import type { AdmissionCode } from '../codes.js';
import type { Verifier } from '../crypto/policy.js';
import { sha256Hex } from '../digest.js';
import type { Envelope } from '../envelope/envelope.js';
import { PAYLOAD_TYPES } from '../envelope/payload-types.js';
import { openEnvelope, verifySignatures } from '../envelope/verify.js';
import { LIMITS } from '../limits.js';
import type { DeployRequest } from '../schemas/deploy.js';
import { deployRequest } from '../schemas/deploy.js';
import { requestId } from '../schemas/primitives.js';
import type { VerifiedKeyring } from '../trust/keyring.js';
import type { TrustState } from '../trust/state.js';
import { trustHealth } from '../trust/state.js';
import { checkVersion } from '../version.js';

export interface RequestCheckInput {
  envelope: unknown;
  trust: TrustState | null;
  now: number;
  verifier: Verifier;
}

/** What a payload claims, unverified: enough to address a rejected receipt. */
export interface Claimed {
  id: string;
  app: string;
  version: string;
  digest: string;
}

export interface CheckedRequest {
  request: DeployRequest;
  envelope: Envelope;
  /** SHA-256 hex of the signed payload bytes */
  digest: string;
  /** key ids whose signatures verified */
  signers: string[];
  /** the keyring the signatures were judged against, for rule 2b */
  keyring: VerifiedKeyring;
}

export type RequestCheck =
  | ({ ok: true } & CheckedRequest)
  | { ok: false; code: AdmissionCode; detail: string; claimed?: Claimed };

function claimedFrom(payload: unknown, digest: string): Claimed | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  const p = payload as Record<string, unknown>;
  if (!requestId.safeParse(p.id).success) return undefined;
  const text = (v: unknown) => (typeof v === 'string' ? v.slice(0, 64) : '');
  return { id: p.id as string, app: text(p.app), version: text(p.version), digest };
}

/**
 * The rules that hold for a deploy request wherever it goes (1, 3, 2a, schema, 4, 9):
 * the hub refuses early with them and every agent checks them again before its own.
 * Pure; never throws on hostile input.
 */
export function checkRequest(input: RequestCheckInput): RequestCheck {
  const { now, verifier } = input;
  const refuse = (code: AdmissionCode, detail: string, claimed?: Claimed): RequestCheck =>
    claimed ? { ok: false, code, detail, claimed } : { ok: false, code, detail };

  // rule 1: well-formed, within bounds, a deploy
  const opened = openEnvelope(input.envelope, PAYLOAD_TYPES.deploy);
  if (!opened.ok) return refuse(opened.reason, opened.detail ?? opened.reason);
  const digest = sha256Hex(opened.value.payloadBytes);
  const claimed = claimedFrom(opened.value.payload, digest);

  // rule 3: trust documents valid and unexpired (needed before any signature can be judged)
  const health = trustHealth(input.trust, now);
  if (!health.usable || !input.trust?.keyring)
    return refuse(
      'TRUST_EXPIRED',
      `no usable trust: ${health.usable ? 'NO_KEYRING' : health.code}`,
      claimed,
    );
  const keyring = input.trust.keyring;

  // rule 2a: signatures over the exact bytes, by keys in the keyring
  const operatorKeys = keyring.operatorKeys;
  const verified = verifySignatures(opened.value, (id) => operatorKeys.get(id), verifier);
  if (!verified.ok) return refuse(verified.reason, verified.detail ?? verified.reason, claimed);

  // rule 1 again, now that the bytes are authentic: the schema
  const parsed = deployRequest.safeParse(opened.value.payload);
  if (!parsed.success)
    return refuse(
      'MALFORMED',
      `${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`,
      claimed,
    );
  const request = parsed.data;

  // rule 4: within its time window
  if (request.expiresAt <= now)
    return refuse('EXPIRED', `expired at ${new Date(request.expiresAt).toISOString()}`, claimed);
  if (request.issuedAt > now + LIMITS.clockSkewMs)
    return refuse('ISSUED_IN_FUTURE', 'issued-at is beyond the allowed clock skew', claimed);
  if (request.expiresAt - request.issuedAt > LIMITS.maxRequestLifetimeMs)
    return refuse('EXPIRED', 'lifetime is longer than allowed', claimed);

  // rule 9: the version is a safe argument
  const version = checkVersion(request.version);
  if (!version.ok) return refuse('BAD_VERSION', version.reason, claimed);
  if (request.expect !== undefined && !checkVersion(request.expect).ok)
    return refuse('BAD_VERSION', 'the expected result is not a safe version string', claimed);

  const { envelope } = opened.value;
  return { ok: true, request, envelope, digest, signers: verified.value.signers, keyring };
}
