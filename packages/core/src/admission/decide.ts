import { checkAttestation } from '../attest/check-attestation.js';
import type { AdmissionCode } from '../codes.js';
import type { Verifier } from '../crypto/policy.js';
import type { DeployRequest } from '../schemas/deploy.js';
import type { Labels } from '../schemas/primitives.js';
import { targetMatches } from '../selector/match.js';
import { authorize } from '../trust/authorize.js';
import type { TrustState } from '../trust/state.js';
import type { Claimed } from './check-request.js';
import { checkRequest } from './check-request.js';

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

export type Admission =
  | { accept: true; request: DeployRequest; digest: string; signers: string[] }
  | { accept: false; reason: AdmissionCode; detail: string; claimed?: Claimed };

/**
 * The one decision of whether an agent runs a deploy: DESIGN.md's nine rules.
 * The host-independent ones are `checkRequest`, the same function the hub refuses with.
 * Pure; never throws on hostile input.
 */
export function decideAdmission(input: AdmissionInput): Admission {
  const { agent, replay, now } = input;
  const checked = checkRequest(input);
  // rules 1, 3, 2a, 4 and 9 hold for every host
  if (!checked.ok) {
    const { code, detail, claimed } = checked;
    return claimed
      ? { accept: false, reason: code, detail, claimed }
      : { accept: false, reason: code, detail };
  }
  const { request, digest, signers, keyring } = checked;
  // the same bounds as a claim read before the schema, so a receipt looks alike either way
  const claimed: Claimed = {
    id: request.id,
    app: request.app.slice(0, 64),
    version: request.version.slice(0, 64),
    digest,
  };
  const reject = (reason: AdmissionCode, detail: string): Admission => ({
    accept: false,
    reason,
    detail,
    claimed,
  });

  // rule 5: never seen before
  if (replay.seen(request.id)) return reject('REPLAYED', `request ${request.id} was already seen`);

  // rule 6: no rollback by replaying an older request
  const last = replay.lastAppliedAt(request.app);
  if (last !== undefined && request.issuedAt <= last)
    return reject('STALE', `a newer request for ${request.app} was already applied`);

  // rule 7: the target names this agent
  const self = { name: agent.name, labels: agent.labels };
  if (!targetMatches(request.target, self))
    return reject('TARGET_MISMATCH', `the target does not include ${agent.name}`);

  // rule 2b: the signers may deploy this app here, and enough of them signed
  const auth = authorize(keyring.keyring, {
    app: request.app,
    target: request.target,
    signers,
    now,
    hosts: [self],
  });
  if (!auth.ok) return reject(auth.reason, auth.detail);

  // rule 10: an app that requires it deploys only a digest a listed builder attested
  const attested = checkAttestation(request, keyring, input.verifier);
  if (!attested.ok) return reject(attested.code, attested.detail);

  // rule 8: the app is configured on this host
  if (!agent.apps.includes(request.app))
    return reject('APP_NOT_CONFIGURED', `${request.app} is not configured on ${agent.name}`);

  return { accept: true, request, digest, signers };
}
