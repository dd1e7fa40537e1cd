import type { ProposalStatus } from '@serfbort/core';
import { rooms } from '@serfbort/core';
import type { HubContext } from '../hub-context.js';

/**
 * Tells every operator and viewer that a proposal changed. With several hubs the Socket.IO
 * adapter carries the broadcast to the other hubs' sockets; a lost one costs nothing but
 * freshness (clients list proposals from the database on every look).
 */
export function announceProposal(ctx: HubContext, requestId: string, status: ProposalStatus): void {
  ctx.operators.to(rooms.proposals).emit('proposal:changed', { requestId, status });
}
