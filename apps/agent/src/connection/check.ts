import type { Envelope, Signer, TrustState } from '@serfbort/core';
import {
  admitCheckRequest,
  appName,
  CHECK_ANSWER_V2_TYPE,
  CHECK_ANSWER_V3_TYPE,
  checkAnswer,
  checkAnswerV2,
  checkAnswerV3,
  PAYLOAD_TYPES,
  requestId,
  signPayload,
} from '@serfbort/core';
import { nodeVerifier } from '@serfbort/node';
import type { AgentConfig } from '../config/load.js';
import type { VersionCache } from '../deploy/version-cache.js';

export interface CheckDeps {
  config: AgentConfig;
  signer: Signer;
  versions: VersionCache;
  trust: () => TrustState | null;
  now?: () => number;
}

/**
 * `check:run`: run the version-report command now and answer with a signed check-answer.
 * With an operator's signed request, the answer is v2, over that request's digest; a
 * request this host refuses gets a signed refusal when it can be addressed.
 * A malformed query gets no answer (the hub counts the host as not answering).
 */
export async function answerCheck(query: unknown, deps: CheckDeps): Promise<Envelope | undefined> {
  const q = query as { checkId?: unknown; app?: unknown; request?: unknown } | null;
  if (q?.request !== undefined) return answerSignedCheck(q.request, deps);
  if (!requestId.safeParse(q?.checkId).success || typeof q?.app !== 'string' || q.app.length > 64)
    return undefined;
  const found = await versionOf(q.app, deps);
  const answer = checkAnswer.parse({
    type: 'check-answer',
    checkId: q.checkId,
    host: deps.config.name,
    app: q.app,
    ...found,
    at: (deps.now ?? Date.now)(),
  });
  return signPayload(PAYLOAD_TYPES.checkAnswer, answer, [deps.signer]);
}

async function versionOf(app: string, deps: CheckDeps) {
  const config = appName.safeParse(app).success ? deps.config.apps[app] : undefined;
  const report = config ? await deps.versions.refresh(config) : undefined;
  return {
    configured: config !== undefined,
    version: report?.version ?? null,
    ...(report?.error ? { error: report.error } : {}),
  };
}

/** The v2 answer: the same rules as a deploy decide whether this host answers at all. */
async function answerSignedCheck(
  envelope: unknown,
  deps: CheckDeps,
): Promise<Envelope | undefined> {
  const now = (deps.now ?? Date.now)();
  const { name, labels } = deps.config;
  const admitted = admitCheckRequest({
    envelope,
    trust: deps.trust(),
    agent: { name, labels },
    now,
    verifier: nodeVerifier,
  });
  const host = deps.config.name;
  if (!admitted.ok) {
    if (!admitted.claimed) return undefined;
    const { digest, nonce, app } = admitted.claimed;
    const refused = { code: admitted.code, detail: admitted.detail.slice(0, 512) };
    return sign(deps, {
      type: 'check-answer',
      requestDigest: digest,
      nonce,
      host,
      app,
      configured: false,
      version: null,
      refused,
      at: now,
    });
  }
  const { request, digest } = admitted;
  const found = await versionOf(request.app, deps);
  const app = deps.config.apps[request.app];
  const sha256 = app ? deps.versions.releaseDigest(app) : undefined;
  return sign(deps, {
    type: 'check-answer',
    requestDigest: digest,
    nonce: request.nonce,
    host,
    app: request.app,
    ...found,
    ...(sha256 ? { artifact: { sha256 } } : {}),
    at: (deps.now ?? Date.now)(),
  });
}

/** v3 only when there is a release digest to report: every other answer stays v2. */
function sign(deps: CheckDeps, answer: Record<string, unknown>): Envelope {
  return answer.artifact !== undefined
    ? signPayload(CHECK_ANSWER_V3_TYPE, checkAnswerV3.parse(answer), [deps.signer])
    : signPayload(CHECK_ANSWER_V2_TYPE, checkAnswerV2.parse(answer), [deps.signer]);
}
