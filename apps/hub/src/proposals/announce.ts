import type { ProposalStatus } from '@serfbort/core';
import { rooms } from '@serfbort/core';
import type { HubContext } from '../hub-context.js';

/** Tells every operator and viewer here, and the other hubs (which tell theirs), that a proposal changed. */
export function announceProposal(
  ctx: HubContext,
  requestId: string,
  status: ProposalStatus,
  fromCluster = false,
): void {
  ctx.operators.to(rooms.proposals).emit('proposal:changed', { requestId, status });
  if (!fromCluster) ctx.cluster.publish({ type: 'proposal', requestId, status });
}
