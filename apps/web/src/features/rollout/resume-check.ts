import { stepRequestMismatch } from '@serfbort/client';
import {
  canonicalBytes,
  type DeploymentView,
  type RolloutView,
  utf8Decode,
  type VerifiedKeyring,
} from '@serfbort/core';
import { verifyRequestEnvelope } from '@/features/live/verify-deployment';

/** What a driver builds later steps from: compared before and after `rollout:resume`. */
export function planOf(v: RolloutView): string {
  return utf8Decode(
    canonicalBytes({
      app: v.app,
      version: v.version,
      expect: v.expect ?? null,
      kind: v.kind,
      budget: v.budget,
      options: v.options,
      steps: v.steps.map((s) => ({ index: s.index, hosts: s.hosts, version: s.version ?? null })),
    }),
  );
}

/**
 * A resumed rollout is driven from the plan the hub kept. Each step already released was
 * signed by an operator: its request must verify and match the plan's app, version and
 * hosts, so a hub cannot swap the version or the hosts of the steps still to sign.
 */
export async function releasedStepsMismatch(
  view: RolloutView,
  deployment: (requestId: string) => Promise<DeploymentView>,
  keyring: VerifiedKeyring | null,
): Promise<string | null> {
  for (const step of view.steps) {
    if (!step.requestId) continue;
    const req = verifyRequestEnvelope(await deployment(step.requestId), keyring);
    if (!req.ok) return `step ${step.index + 1}'s signed request does not verify (${req.why})`;
    const wrong = stepRequestMismatch(req.request, view, step);
    if (wrong) return `step ${step.index + 1}'s signed request disagrees with the plan: ${wrong}`;
    if ((req.request.expect ?? null) !== (view.kind === 'rollback' ? null : (view.expect ?? null)))
      return `step ${step.index + 1}'s signed request expects another result`;
  }
  return null;
}
