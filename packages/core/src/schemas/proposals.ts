import { z } from 'zod';
import { signatureSchema } from '../envelope/envelope.js';
import { requestId } from './primitives.js';

/*
 * Co-signing through the hub: an operator hands the hub a deploy request that still
 * needs signatures (a proposal); other operators fetch it, review the exact bytes and
 * add theirs. The hub only stores and relays: clients verify every signature themselves
 * (packages/client/src/proposals/), and agents verify them again.
 */

export const PROPOSAL_STATUSES = ['open', 'submitted', 'expired', 'withdrawn'] as const;
export type ProposalStatus = (typeof PROPOSAL_STATUSES)[number];

/** `proposal:create`: the signed deploy request; its own schema is checked by the hub (checkRequest). */
export const proposalCreateSchema = z.strictObject({ envelope: z.unknown() });
export type ProposalCreate = z.infer<typeof proposalCreateSchema>;

export const proposalListQuerySchema = z.strictObject({
  status: z.enum(PROPOSAL_STATUSES).optional(),
});
export type ProposalListQuery = z.infer<typeof proposalListQuerySchema>;

/** `proposal:get` and `proposal:withdraw` */
export const proposalQuerySchema = z.strictObject({ requestId });
export type ProposalQuery = z.infer<typeof proposalQuerySchema>;

/** `proposal:sign`: one co-signature over the stored payload bytes (PAE of type and payload) */
export const proposalSignSchema = z.strictObject({ requestId, signature: signatureSchema });
export type ProposalSign = z.infer<typeof proposalSignSchema>;
