import type { OperatorToHubEvents } from '@serfbort/core';
import {
  proposalCreateSchema,
  proposalListQuerySchema,
  proposalQuerySchema,
  proposalSignSchema,
} from '@serfbort/core';
import type { Socket } from 'socket.io';
import type { HubContext, OperatorSocketData } from '../hub-context.js';
import { createProposal } from '../proposals/create.js';
import { signProposal } from '../proposals/sign.js';
import { listProposals, requireProposal, toProposalView } from '../proposals/views.js';
import { withdrawProposal } from '../proposals/withdraw.js';
import type { Guard } from './handle.js';
import { handlerFor } from './handle.js';

/** Proposals (co-signing through the hub) on the operator namespace; viewers may read them. */
export function registerProposalHandlers(
  ctx: HubContext,
  socket: Socket,
  guards: { reader: Guard; writer: Guard },
): void {
  const on = handlerFor<OperatorToHubEvents>(ctx, socket);
  const { reader, writer } = guards;
  const session = () => socket.data as OperatorSocketData;

  on('proposal:create', proposalCreateSchema, writer, async (input) =>
    createProposal(ctx, input.envelope, { keyId: session().keyId!, name: session().name }, socket),
  );

  on('proposal:list', proposalListQuerySchema, reader, async (q) =>
    listProposals(ctx.db, q.status, ctx.now()),
  );

  on('proposal:get', proposalQuerySchema, reader, async (q) =>
    toProposalView(await requireProposal(ctx.db, q.requestId), ctx.now()),
  );

  on('proposal:sign', proposalSignSchema, writer, async (input) =>
    signProposal(ctx, input, socket),
  );

  on('proposal:withdraw', proposalQuerySchema, writer, async (q) =>
    withdrawProposal(ctx, q.requestId, { keyId: session().keyId! }),
  );
}
