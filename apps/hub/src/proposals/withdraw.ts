import type { ProposalView } from '@serfbort/core';
import { and, eq } from 'drizzle-orm';
import { proposals } from '../db/schema.js';
import { refuse } from '../errors.js';
import type { HubContext } from '../hub-context.js';
import { mayRollOut } from '../rollouts/rollout-service.js';
import { announceProposal } from './announce.js';
import { proposalStatus, requireProposal, toProposalView } from './views.js';

/** proposal:withdraw — by its proposer, or any operator the keyring allows its app. */
export async function withdrawProposal(
  ctx: HubContext,
  requestId: string,
  by: { keyId: string },
): Promise<ProposalView> {
  const now = ctx.now();
  const row = await requireProposal(ctx.db, requestId);
  if (row.proposedBy !== by.keyId) {
    await ctx.trust.refresh();
    mayRollOut(ctx, by.keyId, row.app);
  }
  const status = proposalStatus(row, now);
  if (status !== 'open') refuse('CONFLICT', `the proposal is ${status}`);
  const written = await ctx.writes.run(async ({ tx, audit }) => {
    const rows = await tx
      .update(proposals)
      .set({ status: 'withdrawn', updatedAt: now })
      .where(and(eq(proposals.requestId, requestId), eq(proposals.status, 'open')))
      .returning({ id: proposals.requestId });
    if (rows.length > 0)
      await audit.append('proposal', {
        event: 'withdraw',
        requestId,
        digest: row.digest,
        by: by.keyId,
      });
    return rows;
  });
  if (written.length === 0) refuse('CONFLICT', 'the proposal was submitted or withdrawn meanwhile');
  ctx.log.info({ requestId, by: by.keyId }, 'proposal withdrawn');
  announceProposal(ctx, requestId, 'withdrawn');
  return toProposalView(await requireProposal(ctx.db, requestId), now);
}
