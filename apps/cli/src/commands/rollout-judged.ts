import type { HostResult, RolloutOutcome } from '@serfbort/client';
import { judgeReleasedSteps } from '@serfbort/client';
import type { RolloutView } from '@serfbort/core';
import { nodeVerifier } from '@serfbort/node';
import { verificationContext } from '../hub/operator-session.js';
import type { HubSession } from '../hub/session.js';
import type { Ctx } from './context.js';

/** The rollout as recorded, with its hosts judged from their receipts by this client. */
export const recordedOutcome = (view: RolloutView, results: HostResult[]): RolloutOutcome => ({
  rollout: view,
  status: view.status,
  ...(view.reason ? { reason: view.reason } : {}),
  results,
});

/** The outcome of a rollout so far, judged from the receipts the hub holds. */
export async function judged(ctx: Ctx, hub: HubSession, id: string) {
  const view = await hub.rolloutWatch(id);
  const { agentKeys } = await verificationContext(ctx, hub);
  const results = await judgeReleasedSteps(view, {
    deployment: (requestId) => hub.watch(requestId),
    agentKeys,
    verifier: nodeVerifier,
  });
  return { view, results, agentKeys };
}
