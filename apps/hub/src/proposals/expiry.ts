import { and, eq, lte } from 'drizzle-orm';
import { proposals } from '../db/schema.js';
import type { HubContext } from '../hub-context.js';
import { HUB_LIMITS } from '../hub-limits.js';
import type { PeriodicTask } from '../periodic-task.js';
import { startPeriodic } from '../periodic-task.js';
import { announceProposal } from './announce.js';

/** one look per tick: the ids it marked expired */
export type ProposalExpiry = PeriodicTask<string[]>;

/**
 * Stores `expired` for open proposals whose request expired, and tells operators. The
 * conditional update marks each row once, so with several hubs exactly one announces it.
 */
export function startProposalExpiry(ctx: HubContext): ProposalExpiry {
  // storage away: reads still say `expired` by the clock, and the next look stores it
  return startPeriodic(ctx, 'proposal expiry', HUB_LIMITS.proposalExpiryMs, [], async () => {
    const now = ctx.now();
    const rows = await ctx.writes.run(async ({ tx, audit }) => {
      const expired = await tx
        .update(proposals)
        .set({ status: 'expired', updatedAt: now })
        .where(and(eq(proposals.status, 'open'), lte(proposals.expiresAt, now)))
        .returning({ requestId: proposals.requestId, digest: proposals.digest });
      for (const r of expired)
        await audit.append('proposal', {
          event: 'expire',
          requestId: r.requestId,
          digest: r.digest,
        });
      return expired;
    });
    for (const r of rows) announceProposal(ctx, r.requestId, 'expired');
    return rows.map((r) => r.requestId);
  });
}
