import type { AdmissionCode } from '../codes.js';
import type { Verifier } from '../crypto/policy.js';
import { sha256Hex } from '../digest.js';
import { PAYLOAD_TYPES } from '../envelope/payload-types.js';
import { openEnvelope, verifySignatures } from '../envelope/verify.js';
import { LIMITS } from '../limits.js';
import type { DeployRequest } from '../schemas/deploy.js';
import { deployRequest } from '../schemas/deploy.js';
import type { Labels } from '../schemas/primitives.js';
import { requestId } from '../schemas/primitives.js';
import { targetMatches } from '../selector/match.js';
import { authorize } from '../trust/authorize.js';
import type { TrustState } from '../trust/state.js';
import { trustHealth } from '../trust/state.js';
import { checkVersion } from '../version.js';

export interface AgentSelf {
  name: string;
  labels: Labels;
  /** apps configured locally on this host */
  apps: readonly string[];
}

export interface ReplayView {
  /** rule 5: has this request id been seen (persisted across restarts) */
  seen(id: string): boolean;
  /** rule 6: issued-at of the last request applied for this app */
  lastAppliedAt(app: string): number | undefined;
}

export interface AdmissionInput {
  envelope: unknown;
  trust: TrustState | null;
  agent: AgentSelf;
  replay: ReplayView;
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

export type Admission =
  | { accept: true; request: DeployRequest; digest: string; signers: string[] }
  | { accept: false; reason: AdmissionCode; detail: string; claimed?: Claimed };

function claimedFrom(payload: unknown, digest: string): Claimed | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  const p = payload as Record<string, unknown>;
  if (!requestId.safeParse(p.id).success) return undefined;
  const text = (v: unknown) => (typeof v === 'string' ? v.slice(0, 64) : '');
  return { id: p.id as string, app: text(p.app), version: text(p.version), digest };
}

/**
 * The one decision of whether an agent runs a deploy: DESIGN.md's nine rules.
 * Pure; never throws on hostile input.
 */
export function decideAdmission(input: AdmissionInput): Admission {
  const { agent, replay, now, verifier } = input;
  const reject = (reason: AdmissionCode, detail: string, claimed?: Claimed): Admission =>
    claimed ? { accept: false, reason, detail, claimed } : { accept: false, reason, detail };

  // rule 1: well-formed, within bounds, a deploy
  const opened = openEnvelope(input.envelope, PAYLOAD_TYPES.deploy);
  if (!opened.ok) return reject(opened.reason, opened.detail ?? opened.reason);
  const digest = sha256Hex(opened.value.payloadBytes);
  const claimed = claimedFrom(opened.value.payload, digest);

  // rule 3: trust documents valid and unexpired (needed before any signature can be judged)
  const health = trustHealth(input.trust, now);
  if (!health.usable || !input.trust?.keyring)
    return reject(
      'TRUST_EXPIRED',
      `no usable trust: ${health.usable ? 'NO_KEYRING' : health.why}`,
      claimed,
    );
  const { keyring, operatorKeys } = input.trust.keyring;

  // rule 2a: signatures over the exact bytes, by keys in the keyring
  const verified = verifySignatures(opened.value, (id) => operatorKeys.get(id), verifier);
  if (!verified.ok) return reject(verified.reason, verified.detail ?? verified.reason, claimed);

  // rule 1 again, now that the bytes are authentic: the schema
  const parsed = deployRequest.safeParse(opened.value.payload);
  if (!parsed.success)
    return reject(
      'MALFORMED',
      `${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`,
      claimed,
    );
  const request = parsed.data;

  // rule 4: within its time window
  if (request.expiresAt <= now)
    return reject('EXPIRED', `expired at ${new Date(request.expiresAt).toISOString()}`, claimed);
  if (request.issuedAt > now + LIMITS.clockSkewMs)
    return reject('ISSUED_IN_FUTURE', 'issued-at is beyond the allowed clock skew', claimed);
  if (request.expiresAt - request.issuedAt > LIMITS.maxRequestLifetimeMs)
    return reject('EXPIRED', 'lifetime is longer than allowed', claimed);

  // rule 5: never seen before
  if (replay.seen(request.id))
    return reject('REPLAYED', `request ${request.id} was already seen`, claimed);

  // rule 6: no rollback by replaying an older request
  const last = replay.lastAppliedAt(request.app);
  if (last !== undefined && request.issuedAt <= last)
    return reject('STALE', `a newer request for ${request.app} was already applied`, claimed);

  // rule 7: the target names this agent
  const self = { name: agent.name, labels: agent.labels };
  if (!targetMatches(request.target, self))
    return reject('TARGET_MISMATCH', `the target does not include ${agent.name}`, claimed);

  // rule 2b: the signers may deploy this app here, and enough of them signed
  const auth = authorize(keyring, {
    app: request.app,
    target: request.target,
    signers: verified.value.signers,
    now,
    hosts: [self],
  });
  if (!auth.ok) return reject(auth.reason, auth.detail, claimed);

  // rule 8: the app is configured on this host
  if (!agent.apps.includes(request.app))
    return reject(
      'APP_NOT_CONFIGURED',
      `${request.app} is not configured on ${agent.name}`,
      claimed,
    );

  // rule 9: the version is a safe argument
  const version = checkVersion(request.version);
  if (!version.ok) return reject('BAD_VERSION', version.reason, claimed);
  if (request.expect !== undefined && !checkVersion(request.expect).ok)
    return reject('BAD_VERSION', 'the expected result is not a safe version string', claimed);

  return { accept: true, request, digest, signers: verified.value.signers };
}
