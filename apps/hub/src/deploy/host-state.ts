import type { HostState, OutputLine } from '@serfbort/core';
import { FINAL_HOST_STATES, rooms } from '@serfbort/core';
import { and, eq, inArray } from 'drizzle-orm';
import { deploymentHosts } from '../db/schema.js';
import type { HubContext } from '../hub-context.js';
import { HUB_LIMITS } from '../hub-limits.js';
import { hostProgress } from './views.js';

/** States a host may move to from each state; finals are left only by a receipt. */
const NEXT: Record<string, readonly HostState[]> = {
  pending: ['delivered', 'accepted', 'running', 'expired'],
  delivered: ['accepted', 'running'],
  accepted: ['running'],
  running: ['running'],
};

export interface HostChange {
  requestId: string;
  host: string;
  state: HostState;
  reason?: string;
  lines?: OutputLine[];
}

/**
 * Moves one host forward (never backward) and streams the change to everyone
 * watching the deployment. Returns false when the move was not allowed.
 */
export async function advanceHost(ctx: HubContext, change: HostChange): Promise<boolean> {
  const row = await ctx.writes.run(async ({ tx }) => {
    const [current] = await tx
      .select()
      .from(deploymentHosts)
      .where(
        and(eq(deploymentHosts.requestId, change.requestId), eq(deploymentHosts.host, change.host)),
      );
    if (!current || !(NEXT[current.state] ?? []).includes(change.state)) return undefined;
    const output = change.lines?.length
      ? [...current.output, ...change.lines].slice(-HUB_LIMITS.outputTailLines)
      : current.output;
    const [updated] = await tx
      .update(deploymentHosts)
      .set({
        state: change.state,
        reason: change.reason ?? current.reason,
        output,
        updatedAt: ctx.now(),
      })
      .where(
        and(
          eq(deploymentHosts.requestId, change.requestId),
          eq(deploymentHosts.host, change.host),
          inArray(deploymentHosts.state, [current.state]),
        ),
      )
      .returning();
    return updated;
  });
  if (!row) return false;
  if (FINAL_HOST_STATES.includes(change.state))
    ctx.metrics.hostOutcomes.inc({ status: change.state });
  const { output: _tail, ...progress } = hostProgress(row);
  ctx.operators.to(rooms.deployment(change.requestId)).emit('deploy:update', {
    requestId: change.requestId,
    host: progress,
    ...(change.lines?.length ? { lines: change.lines } : {}),
  });
  return true;
}
