import type { ProposalVerdict, VerifiedProposal } from '@serfbort/client';
import { confirmSubmitted, trustedIdentities, verifyProposal } from '@serfbort/client';
import type { ProposalView } from '@serfbort/core';
import { nodeVerifier } from '@serfbort/node';
import type { Ctx } from '../context.js';
import { CliError, EXIT } from '../errors.js';
import type { VerificationContext } from '../hub/operator-session.js';
import type { HubSession } from '../hub/session.js';
import { terminalSafe } from '../output/terminal-safe.js';

/**
 * A proposal from the hub judged against this client's verified trust, with the hosts its
 * roster knows (labels an operator signed), never the hub's word for them.
 */
export function judgeProposal(
  ctx: Ctx,
  view: ProposalView,
  vc: VerificationContext,
): ProposalVerdict {
  return verifyProposal(view, vc.trust, ctx.now(), nodeVerifier, trustedIdentities(vc.fleet));
}

/** Nothing the hub serves is shown as something to review or sign unless it verifies. */
export function verifiedProposal(
  ctx: Ctx,
  view: ProposalView,
  vc: VerificationContext,
): VerifiedProposal {
  const verdict = judgeProposal(ctx, view, vc);
  if (verdict.ok) return verdict;
  throw new CliError(
    EXIT.hosts,
    verdict.code,
    `proposal ${terminalSafe(view.requestId)} does not verify: ${terminalSafe(verdict.detail)}; nothing shown, nothing signed`,
  );
}

/**
 * The hub's "submitted", checked: the deployment it names must carry the proposed bytes.
 * Returns the deployment, or throws PROPOSAL_MISMATCH.
 */
export async function submittedDeployment(hub: HubSession, proposal: VerifiedProposal) {
  const deployment = await hub.watch(proposal.requestId).catch((e: unknown) => {
    if (e instanceof CliError && e.code === 'NOT_FOUND') return undefined;
    throw e;
  });
  const verdict = confirmSubmitted(proposal, deployment);
  if (!verdict.ok) throw new CliError(EXIT.hosts, verdict.code, verdict.detail);
  return deployment!;
}
