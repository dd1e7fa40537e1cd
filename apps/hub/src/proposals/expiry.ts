import { and, eq, lte } from 'drizzle-orm';
import { proposals } from '../db/schema.js';
import type { HubContext } from '../hub-context.js';
import { HUB_LIMITS } from '../hub-limits.js';
import { announceProposal } from './announce.js';

export interface ProposalExpiry {
  /** one look (tests call it; the timer does otherwise); the ids it marked expired */
  tick(): Promise<string[]>;
  stop(): Promise<void>;
}

/**
 * Stores `expired` for open proposals whose request expired, and tells operators. The
 * conditional update marks each row once, so with several hubs exactly one announces it.
 */
export function startProposalExpiry(ctx: HubContext): ProposalExpiry {
  let running: Promise<string[]> | undefined;
  let stopped = false;
  const once = async (): Promise<string[]> => {
    try {
      const now = ctx.now();
      const rows = await ctx.writes.run(({ tx }) =>
        tx
          .update(proposals)
          .set({ status: 'expired', updatedAt: now })
          .where(and(eq(proposals.status, 'open'), lte(proposals.expiresAt, now)))
          .returning({ requestId: proposals.requestId }),
      );
      for (const r of rows) announceProposal(ctx, r.requestId, 'expired');
      return rows.map((r) => r.requestId);
    } catch (err) {
      // storage away: reads still say `expired` by the clock, and the next look stores it
      ctx.log.warn(
        { err: err instanceof Error ? err.message : String(err) },
        'proposal expiry failed',
      );
      return [];
    }
  };
  const tick = () => {
    running ??= once().finally(() => {
      running = undefined;
    });
    return running;
  };
  const timer = setInterval(() => {
    if (!stopped) ctx.track(tick());
  }, HUB_LIMITS.proposalExpiryMs);
  timer.unref();
  return {
    tick,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
