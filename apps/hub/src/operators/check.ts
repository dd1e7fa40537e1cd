import { randomBytes } from 'node:crypto';
import type { CheckResult, Envelope, Target } from '@serfbort/core';
import { targetMatches, tryFromBase64, verifyCheckAnswer } from '@serfbort/core';
import { nodeVerifier } from '@serfbort/node';
import { agents } from '../db/schema.js';
import type { AgentSocketData, HubContext } from '../hub-context.js';
import { HUB_LIMITS } from '../hub-limits.js';

/**
 * check:run — asks the targeted online agents for their version now and gathers
 * their signed answers; offline, silent and badly-signed hosts are named unreachable.
 */
export async function runCheck(
  ctx: HubContext,
  q: { app: string; target?: Target; timeoutMs?: number },
): Promise<CheckResult> {
  const checkId = randomBytes(12).toString('base64url');
  const timeoutMs = Math.min(
    q.timeoutMs ?? HUB_LIMITS.checkTimeoutMs,
    HUB_LIMITS.checkMaxTimeoutMs,
  );
  const registry = await ctx.db
    .select({ name: agents.name, labels: agents.labels, apps: agents.apps })
    .from(agents);
  const targeted = registry.filter((h) =>
    q.target ? targetMatches(q.target, h) : h.apps.includes(q.app),
  );
  const answers: Envelope[] = [];
  const unreachable: string[] = [];
  await Promise.all(
    targeted.map(async (h) => {
      const socket = ctx.sessions.get(h.name);
      const key = tryFromBase64((socket?.data as AgentSocketData | undefined)?.publicKey);
      if (!socket || !key) {
        unreachable.push(h.name);
        return;
      }
      try {
        const answer: unknown = await socket
          .timeout(timeoutMs)
          .emitWithAck('check:run', { checkId, app: q.app });
        const verdict = verifyCheckAnswer(
          answer,
          { host: h.name, checkId },
          new Map([[h.name, key]]),
          nodeVerifier,
        );
        if (verdict.ok) answers.push(answer as Envelope);
        else unreachable.push(h.name);
      } catch {
        unreachable.push(h.name);
      }
    }),
  );
  return { checkId, app: q.app, answers, unreachable: unreachable.sort() };
}
