import type { AdmissionCode } from '../codes.js';
import type { Verifier } from '../crypto/policy.js';
import { sha256Hex } from '../digest.js';
import { PAYLOAD_TYPES } from '../envelope/payload-types.js';
import { openEnvelope, verifySignatures } from '../envelope/verify.js';
import { LIMITS } from '../limits.js';
import type { CheckRequestPayload } from '../schemas/check.js';
import { checkNonce, checkRequestPayload } from '../schemas/check.js';
import { targetMatches } from '../selector/match.js';
import { operatorsAllowed } from '../trust/authorize.js';
import type { TrustState } from '../trust/state.js';
import { trustHealth } from '../trust/state.js';
import type { AgentSelf } from './decide.js';

export interface CheckAdmissionInput {
  envelope: unknown;
  trust: TrustState | null;
  agent: Pick<AgentSelf, 'name' | 'labels'>;
  now: number;
  verifier: Verifier;
}

/** What a refused request claims, unverified: enough to address a signed refusal to it. */
export interface ClaimedCheck {
  digest: string;
  nonce: string;
  app: string;
}

export type CheckAdmission =
  | { ok: true; request: CheckRequestPayload; digest: string }
  | { ok: false; code: AdmissionCode; detail: string; claimed?: ClaimedCheck };

function claimedFrom(payload: unknown, digest: string): ClaimedCheck | undefined {
  const p = (typeof payload === 'object' && payload !== null ? payload : {}) as {
    nonce?: unknown;
    app?: unknown;
  };
  if (!checkNonce.safeParse(p.nonce).success) return undefined;
  const app = typeof p.app === 'string' ? p.app.slice(0, 64) : '';
  return { digest, nonce: p.nonce as string, app };
}

/**
 * Whether an agent answers a check request: the deploy rules that apply to a question
 * (envelope, trust, signature, scope, time window, target). No threshold: a check
 * changes nothing, so one operator allowed the app and this host may ask.
 * Pure; never throws on hostile input.
 */
export function admitCheckRequest(input: CheckAdmissionInput): CheckAdmission {
  const { agent, now } = input;
  // rule 1: well-formed, within bounds, a check request
  const opened = openEnvelope(input.envelope, PAYLOAD_TYPES.checkRequest);
  if (!opened.ok) return { ok: false, code: opened.reason, detail: opened.detail ?? opened.reason };
  const digest = sha256Hex(opened.value.payloadBytes);
  const claimed = claimedFrom(opened.value.payload, digest);
  const refuse = (code: AdmissionCode, detail: string): CheckAdmission =>
    claimed ? { ok: false, code, detail, claimed } : { ok: false, code, detail };

  // rule 3: trust usable
  const health = trustHealth(input.trust, now);
  const keyring = input.trust?.keyring;
  if (!health.usable || !keyring)
    return refuse(
      'TRUST_EXPIRED',
      `no usable trust: ${health.usable ? 'NO_KEYRING' : health.code}`,
    );

  // rule 2a: signatures over the exact bytes, by keys in the keyring
  const operatorKeys = keyring.operatorKeys;
  const verified = verifySignatures(opened.value, (id) => operatorKeys.get(id), input.verifier);
  if (!verified.ok) return refuse(verified.reason, verified.detail ?? verified.reason);

  const parsed = checkRequestPayload.safeParse(opened.value.payload);
  if (!parsed.success)
    return refuse(
      'MALFORMED',
      `${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`,
    );
  const request = parsed.data;

  // rule 4: within its (short) time window
  if (request.expiresAt <= now)
    return refuse('EXPIRED', `expired at ${new Date(request.expiresAt).toISOString()}`);
  if (request.issuedAt > now + LIMITS.clockSkewMs)
    return refuse('ISSUED_IN_FUTURE', 'issued-at is beyond the allowed clock skew');
  if (request.expiresAt - request.issuedAt > LIMITS.maxCheckLifetimeMs)
    return refuse('EXPIRED', 'lifetime is longer than a check request may live');

  // rule 7: the target names this agent
  const self = { name: agent.name, labels: agent.labels };
  if (request.target && !targetMatches(request.target, self))
    return refuse('TARGET_MISMATCH', `the target does not include ${agent.name}`);

  // rule 2b: a signer may act on this app on this host (its labels within the scope)
  const allowed = operatorsAllowed(keyring.keyring, {
    app: request.app,
    target: request.target ?? { hosts: [agent.name] },
    signers: verified.value.signers,
    now,
    hosts: [self],
  });
  if (allowed.length === 0)
    return refuse('SIGNER_NOT_ALLOWED', `no signer may check ${request.app} on ${agent.name}`);

  return { ok: true, request, digest };
}
