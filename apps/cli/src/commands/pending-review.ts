import type { Command } from '@commander-js/extra-typings';
import { requestId as requestIdSchema } from '@serfbort/core';
import type { Ctx } from '../context.js';
import { usageError } from '../errors.js';
import { verificationContext } from '../hub/operator-session.js';
import { submittedDeployment, verifiedProposal } from '../proposals/judge.js';
import { proposalJson, proposalLines } from '../proposals/render.js';
import { contextOf, examples } from './context.js';
import { withOperator, withReader } from './with-operator.js';

/** A proposal id as the hub's schema takes it, refused here before anything is asked. */
export function checkProposalId(id: string): string {
  if (!requestIdSchema.safeParse(id).success)
    throw usageError('BAD_OPTION', `${JSON.stringify(id.slice(0, 80))} is not a request id`);
  return id;
}

/** `pending show ID`: the exact request, verified here; a claimed submission is checked too. */
async function showPending(ctx: Ctx, id: string, json: boolean): Promise<void> {
  await withReader(ctx, async ({ hub }) => {
    const vc = await verificationContext(ctx, hub);
    const view = await hub.proposal(checkProposalId(id));
    const proposal = verifiedProposal(ctx, view, vc);
    if (view.status === 'submitted') await submittedDeployment(hub, proposal);
    if (json) return ctx.out.document(proposalJson(proposal, view.status));
    for (const line of proposalLines(proposal, view.status, ctx.out.e, ctx.now()))
      ctx.out.line(line);
    if (view.status === 'submitted')
      ctx.out.line(`follow it with: serfbort watch ${proposal.requestId}`);
  });
}

export function registerPendingShow(pending: Command): void {
  const show = pending
    .command('show')
    .description(
      'review one proposal: the exact signed bytes, who signed (verified here), what is missing',
    )
    .argument('<id>', 'request id, from `serfbort pending`')
    .option('--json', 'print one JSON document')
    .action(async (id, opts, cmd) =>
      showPending(contextOf(cmd, opts.json), id, opts.json === true),
    );
  examples(show, [
    'serfbort pending show 3tXv9yQk0aB2',
    'serfbort pending show 3tXv9yQk0aB2 --json',
  ]);
}

export function registerPendingWithdraw(pending: Command): void {
  const withdraw = pending
    .command('withdraw')
    .description(
      'withdraw a proposal (its proposer, or an operator allowed its app): nobody can complete it',
    )
    .argument('<id>', 'request id')
    .option('--json', 'print one JSON document')
    .action(async (id, opts, cmd) => {
      const ctx = contextOf(cmd, opts.json);
      await withOperator(ctx, async ({ hub }) => {
        const view = await hub.withdraw(checkProposalId(id));
        if (opts.json) return ctx.out.document({ requestId: view.requestId, status: view.status });
        ctx.out.line(`withdrew ${view.requestId}: it can no longer be co-signed here`);
        ctx.out.note(
          'withdrawing revokes nothing: its signatures stay valid until it expires, so whoever holds a copy could still complete it elsewhere (serfbort sign)',
        );
      });
    });
  examples(withdraw, [
    'serfbort pending withdraw 3tXv9yQk0aB2',
    'serfbort pending withdraw 3tXv9yQk0aB2 --json',
  ]);
}
