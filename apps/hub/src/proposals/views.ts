import type { ProposalStatus, ProposalView } from '@serfbort/core';
import { LIMITS } from '@serfbort/core';
import { and, desc, eq, gt, lte, or } from 'drizzle-orm';
import type { Db } from '../db/open.js';
import { proposals } from '../db/schema.js';
import { refuse } from '../errors.js';

export type ProposalRow = typeof proposals.$inferSelect;

/** An open proposal past its request's expiresAt reads `expired`: the clock decides, not a sweep. */
export function proposalStatus(row: ProposalRow, now: number): ProposalStatus {
  return row.status === 'open' && row.expiresAt <= now ? 'expired' : row.status;
}

export function toProposalView(row: ProposalRow, now: number): ProposalView {
  const status = proposalStatus(row, now);
  return {
    requestId: row.requestId,
    envelope: row.envelope,
    proposedBy: row.proposedBy,
    ...(row.proposedByName ? { proposedByName: row.proposedByName } : {}),
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
    status,
    ...(status === 'submitted' ? { deploymentId: row.requestId } : {}),
  };
}

export async function findProposal(db: Db, requestId: string): Promise<ProposalRow | undefined> {
  const [row] = await db.select().from(proposals).where(eq(proposals.requestId, requestId));
  return row;
}

export async function requireProposal(db: Db, requestId: string): Promise<ProposalRow> {
  return (await findProposal(db, requestId)) ?? refuse('NOT_FOUND', `no proposal ${requestId}`);
}

/** Newest first; `open` and `expired` are told apart by the clock (the expiry loop may not have looked yet). */
export async function listProposals(
  db: Db,
  status: ProposalStatus | undefined,
  now: number,
): Promise<ProposalView[]> {
  const where =
    status === 'open'
      ? and(eq(proposals.status, 'open'), gt(proposals.expiresAt, now))
      : status === 'expired'
        ? or(
            eq(proposals.status, 'expired'),
            and(eq(proposals.status, 'open'), lte(proposals.expiresAt, now)),
          )
        : status
          ? eq(proposals.status, status)
          : undefined;
  const rows = await db
    .select()
    .from(proposals)
    .where(where)
    .orderBy(desc(proposals.createdAt))
    .limit(LIMITS.proposalsPerPage);
  return rows.map((r) => toProposalView(r, now));
}
