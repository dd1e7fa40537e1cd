import type { CheckResult, Labels, Verifier } from '@serfbort/core';
import {
  isSignedCheckAnswer,
  LIMITS,
  verifyCheckAnswer,
  verifyCheckAnswerV2,
} from '@serfbort/core';
import type { OwnCheck } from './build-check.js';
import { claimedHost } from './claimed-host.js';
import { withheldHosts } from './withheld.js';

export type CheckStatus =
  | 'ok'
  | 'mismatch'
  | 'version'
  | 'not-configured'
  | 'error'
  | 'refused'
  | 'UNVERIFIED'
  | 'STALE'
  | 'unreachable'
  | 'withheld';

export interface HostCheck {
  host: string;
  status: CheckStatus;
  version: string | null;
  verified: boolean;
  /**
   * true: the answer is to this request (its digest and nonce, in its window); false: a v1
   * host answered the hub's unsigned query, so nothing proves the answer is of now
   */
  fresh: boolean | null;
  /** the code behind a status that is not an answer: why refused, unverified, stale, withheld */
  code: string | null;
  detail: string | null;
  /** SHA-256 of the release the app runs, from a host that deploys it as releases */
  artifact?: string;
}

/** A host the client itself knows of (an approved, verified key), with labels where known. */
export interface KnownHost {
  name: string;
  labels?: Labels;
}

export interface CheckJudgeInput {
  /** the request this client signed; without one (no operator key) no answer is proven fresh */
  own?: OwnCheck;
  result: CheckResult;
  agentKeys: ReadonlyMap<string, Uint8Array>;
  known: readonly KnownHost[];
  /** rostered hosts whose approval the hub no longer presents (see roster's `disappeared`) */
  disappeared?: readonly string[];
  /** the version every host should run, if the operator named one */
  wanted?: string;
  verifier: Verifier;
}

const noAnswer = (host: string, status: CheckStatus, code: string | null, detail: string) => ({
  host,
  status,
  version: null,
  verified: false,
  fresh: null,
  code,
  detail,
});

/**
 * The one judge of check answers for the CLI and the dashboard. An answer counts only if
 * the host's approved key signed it for this request (v2) within its window; a v1 host's
 * answer to the hub's query is shown, marked not fresh. Hosts the client knows the target
 * names and that the hub neither answered for nor named are withheld by the hub.
 */
export function judgeCheck(input: CheckJudgeInput): HostCheck[] {
  const rows = input.result.answers.map((answer) => judgeAnswer(answer, input));
  const seen = new Set(rows.map((r) => r.host));
  for (const host of input.result.unreachable) {
    if (seen.has(host)) continue;
    seen.add(host);
    rows.push(noAnswer(host, 'unreachable', null, 'offline or no answer in time'));
  }
  for (const host of withheldHosts(input.own?.request.target, input.known, seen))
    rows.push(
      noAnswer(host, 'withheld', 'WITHHELD', 'withheld by the hub: not asked or not shown'),
    );
  const gone = new Set(input.disappeared ?? []);
  // its answer, if any, is judged against a key the hub no longer vouches for: say so
  for (const [i, row] of rows.entries())
    if (gone.has(row.host))
      rows[i] = {
        ...row,
        status: 'withheld',
        code: 'APPROVAL_DISAPPEARED',
        detail: 'approval disappeared: the hub no longer presents the approval this client saw',
      };
  return rows.sort((a, b) => a.host.localeCompare(b.host));
}

function judgeAnswer(answer: unknown, input: CheckJudgeInput): HostCheck {
  const { own, agentKeys, verifier } = input;
  const host = claimedHost(answer) ?? '(unnamed)';
  const v2 = isSignedCheckAnswer(answer);
  if (!v2) {
    const v = verifyCheckAnswer(
      answer,
      { host, checkId: input.result.checkId },
      agentKeys,
      verifier,
    );
    if (!v.ok) return unverified(host, v.code, v.detail);
    if (v.value.app !== (own?.request.app ?? input.result.app))
      return unverified(host, 'WRONG_CHECK', `answers for ${v.value.app}`);
    return answered(host, v.value, false, input.wanted);
  }
  if (!own)
    return noAnswer(
      host,
      'STALE',
      'WRONG_CHECK',
      'answers a check request this client did not sign',
    );
  const expect = { host, requestDigest: own.digest, nonce: own.request.nonce };
  const v = verifyCheckAnswerV2(answer, expect, agentKeys, verifier);
  if (!v.ok && v.code === 'WRONG_CHECK')
    return noAnswer(host, 'STALE', v.code, 'replayed: signed for another check request');
  if (!v.ok) return unverified(host, v.code, v.detail);
  const a = v.value;
  // the digest proves the answer came after the request; the window bounds how long after
  const { issuedAt, expiresAt } = own.request;
  if (a.at < issuedAt - LIMITS.clockSkewMs || a.at > expiresAt + LIMITS.clockSkewMs)
    return noAnswer(host, 'STALE', 'ANSWER_OUTSIDE_WINDOW', 'signed outside the request window');
  if (a.app !== own.request.app) return unverified(host, 'WRONG_CHECK', `answers for ${a.app}`);
  if (a.refused)
    return {
      ...noAnswer(host, 'refused', a.refused.code, a.refused.detail),
      verified: true,
      fresh: true,
    };
  return answered(host, a, true, input.wanted);
}

function unverified(host: string, code: string, detail: string): HostCheck {
  return noAnswer(host, 'UNVERIFIED', code, detail);
}

interface Answer {
  configured: boolean;
  version: string | null;
  error?: string | undefined;
  artifact?: { sha256: string } | undefined;
}

function answered(host: string, a: Answer, fresh: boolean, wanted?: string): HostCheck {
  const base = {
    host,
    version: a.version,
    verified: true,
    fresh,
    code: null,
    detail: a.error ?? null,
    ...(a.artifact ? { artifact: a.artifact.sha256 } : {}),
  };
  if (!a.configured) return { ...base, status: 'not-configured' };
  if (a.error !== undefined || a.version === null) return { ...base, status: 'error' };
  if (wanted === undefined) return { ...base, status: 'version' };
  return { ...base, status: a.version === wanted ? 'ok' : 'mismatch' };
}

/** Whether a row counts as a good answer (the check exits 0 only if all do). */
export const goodCheck = (r: Pick<HostCheck, 'status'>): boolean =>
  r.status === 'ok' || r.status === 'version';
