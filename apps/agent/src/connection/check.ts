import type { Envelope, Signer } from '@serfbort/core';
import { appName, checkAnswer, PAYLOAD_TYPES, requestId, signPayload } from '@serfbort/core';
import type { AgentConfig } from '../config/load.js';
import type { VersionCache } from '../deploy/version-cache.js';

/**
 * `check:run`: run the version-report command now and answer with a signed check-answer.
 * A malformed query gets no answer (the hub counts the host as not answering).
 */
export async function answerCheck(
  query: unknown,
  deps: { config: AgentConfig; signer: Signer; versions: VersionCache },
): Promise<Envelope | undefined> {
  const q = query as { checkId?: unknown; app?: unknown } | null;
  if (!requestId.safeParse(q?.checkId).success || typeof q?.app !== 'string' || q.app.length > 64)
    return undefined;
  const app = appName.safeParse(q.app).success ? deps.config.apps[q.app] : undefined;
  const report = app ? await deps.versions.refresh(app) : undefined;
  const answer = checkAnswer.parse({
    type: 'check-answer',
    checkId: q.checkId,
    host: deps.config.name,
    app: q.app,
    configured: app !== undefined,
    version: report?.version ?? null,
    ...(report?.error ? { error: report.error } : {}),
    at: Date.now(),
  });
  return signPayload(PAYLOAD_TYPES.checkAnswer, answer, [deps.signer]);
}
