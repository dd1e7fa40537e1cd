import type { ProposalStatus } from '@serfbort/core';
import { LIMITS } from '@serfbort/core';
import { and, count, eq, gt } from 'drizzle-orm';
import type { Socket } from 'socket.io';
import { deployments, proposals } from '../db/schema.js';
import { judgeRequest, submitDeploy } from '../deploy/submit.js';
import { refuse } from '../errors.js';
import type { HubContext } from '../hub-context.js';
import { announceProposal } from './announce.js';
import { findProposal, proposalStatus } from './views.js';

export interface Proposer {
  keyId: string;
  name?: string | undefined;
}

/**
 * proposal:create — the checks of deploy:submit, except that too few signatures is what a
 * proposal is for. Stores it (a request that already meets its threshold is submitted at
 * once and stored as submitted). Never alters the envelope: co-signers sign its bytes.
 */
export async function createProposal(
  ctx: HubContext,
  input: unknown,
  by: Proposer,
  socket: Socket,
): Promise<{ requestId: string; status: ProposalStatus }> {
  const now = ctx.now();
  const judged = await judgeRequest(ctx, input, now);
  const { request, envelope, digest, signers, auth } = judged;
  // the hub keeps no junk for co-signers to wade through: every signature it stores verifies
  if (signers.length !== envelope.signatures.length)
    refuse('BAD_SIGNATURE', 'a signature does not verify with a keyring key (or repeats a key)');
  if (!auth.ok && auth.reason !== 'THRESHOLD_NOT_MET') refuse(auth.reason, auth.detail);

  // an id names one request: the same bytes again are a retry, other bytes a replay
  const existing = await findProposal(ctx.db, request.id);
  if (existing) {
    if (existing.digest !== digest)
      refuse('REPLAYED', `request ${request.id} was already proposed with other content`);
    return { requestId: request.id, status: proposalStatus(existing, now) };
  }
  const [deployed] = await ctx.db
    .select({ id: deployments.requestId })
    .from(deployments)
    .where(eq(deployments.requestId, request.id));
  if (deployed) refuse('REPLAYED', `request ${request.id} was already submitted`);

  const [open] = await ctx.db
    .select({ n: count() })
    .from(proposals)
    .where(
      and(
        eq(proposals.proposedBy, by.keyId),
        eq(proposals.status, 'open'),
        gt(proposals.expiresAt, now),
      ),
    );
  if ((open?.n ?? 0) >= LIMITS.openProposalsPerOperator)
    refuse(
      'RATE_LIMITED',
      `you have ${LIMITS.openProposalsPerOperator} open proposals: withdraw some first`,
    );

  if (auth.ok) await submitDeploy(ctx, envelope, socket);
  const status = auth.ok ? ('submitted' as const) : ('open' as const);
  await ctx.writes.run(async ({ tx, audit }) => {
    const stored = await tx
      .insert(proposals)
      .values({
        requestId: request.id,
        digest,
        app: request.app,
        envelope,
        proposedBy: by.keyId,
        proposedByName: by.name ?? null,
        createdAt: now,
        expiresAt: request.expiresAt,
        status,
        revision: 0,
        updatedAt: now,
      })
      .onConflictDoNothing()
      .returning({ id: proposals.requestId });
    // the envelope as proposed, with its signatures: who asked for what, even if withdrawn
    if (stored.length > 0)
      await audit.append('proposal', {
        event: 'create',
        requestId: request.id,
        digest,
        app: request.app,
        by: by.keyId,
        status,
        envelope,
      });
  });
  ctx.log.info(
    { requestId: request.id, app: request.app, by: by.name ?? by.keyId, status },
    'proposal stored',
  );
  announceProposal(ctx, request.id, status);
  return { requestId: request.id, status };
}
