import type { Command } from '@commander-js/extra-typings';
import type { VerifiedProposal } from '@serfbort/client';
import { coSign, mayCoSign } from '@serfbort/client';
import { nodeSigner } from '@serfbort/node';
import { parseDuration } from '../config/duration.js';
import type { Ctx } from '../context.js';
import { resolveHosts } from '../deploy/resolve-hosts.js';
import { followDeployment } from '../deploy/run.js';
import { CliError, EXIT, usageError } from '../errors.js';
import type { VerificationContext } from '../hub/operator-session.js';
import { rosteredHosts, verificationContext } from '../hub/operator-session.js';
import type { HubSession } from '../hub/session.js';
import { confirmSigning } from '../prompt/confirm-signing.js';
import { submittedDeployment, verifiedProposal } from '../proposals/judge.js';
import { proposalLines } from '../proposals/render.js';
import { contextOf, examples } from './context.js';
import { checkProposalId } from './pending-review.js';
import { withOperator } from './with-operator.js';

interface SignOptions {
  yes?: boolean;
  json?: boolean;
  wait: boolean;
  timeoutMs: number;
}

/** The deployment the co-signature completed, followed like `deploy` follows its own. */
async function follow(
  ctx: Ctx,
  hub: HubSession,
  proposal: VerifiedProposal,
  vc: VerificationContext,
  opts: SignOptions,
): Promise<number> {
  const deployment = await submittedDeployment(hub, proposal);
  const { request } = proposal;
  if (!opts.wait) {
    if (opts.json)
      ctx.out.document({ requestId: request.id, status: 'submitted', signed: true, ok: true });
    else ctx.out.line(`submitted ${request.id}; follow it with: serfbort watch ${request.id}`);
    return EXIT.ok;
  }
  if (!opts.json) ctx.out.line(`your signature completed ${request.id}: submitted`);
  const rostered = rosteredHosts(vc.fleet, request.target);
  const hosts = await resolveHosts(ctx, hub, request.target, undefined, rostered.covered);
  const opened = {
    envelope: deployment.envelope,
    payloadBytes: proposal.payloadBytes,
    request,
    digest: proposal.digest,
  };
  return followDeployment(ctx, hub, opened, deployment, hosts, vc.agentKeys, {
    json: opts.json === true,
    wait: true,
    timeoutMs: opts.timeoutMs,
    rostered,
  });
}

/** `pending sign ID`: verify, show, confirm, co-sign over the exact bytes; follow it if that completed it. */
async function signPending(ctx: Ctx, id: string, opts: SignOptions): Promise<void> {
  await withOperator(ctx, async ({ hub, key }) => {
    const vc = await verificationContext(ctx, hub);
    const view = await hub.proposal(checkProposalId(id));
    const proposal = verifiedProposal(ctx, view, vc);
    const may = mayCoSign(proposal, key.keyId);
    if (!may.ok) throw usageError(may.code, `nothing signed: ${may.detail}`);
    if (!opts.json || !opts.yes) {
      ctx.out.note('You are about to co-sign this deploy request:');
      for (const line of proposalLines(proposal, view.status, ctx.out.e, ctx.now()))
        ctx.out.note(line);
    }
    await confirmSigning(ctx, 'Co-sign it?', opts.yes);
    const after = await hub.coSign(proposal.requestId, coSign(proposal, nodeSigner(key)));
    if (after.status === 'submitted') {
      process.exitCode = await follow(ctx, hub, proposal, vc, opts);
      return;
    }
    if (after.status !== 'open')
      throw new CliError(EXIT.refused, 'CONFLICT', `the hub says the proposal is ${after.status}`);
    const missing = proposal.missing - 1;
    if (opts.json)
      return ctx.out.document({
        requestId: proposal.requestId,
        status: 'open',
        signed: true,
        missing,
      });
    ctx.out.line(
      `co-signed ${proposal.requestId}; ${missing} more ${missing === 1 ? 'signature' : 'signatures'} needed (serfbort pending show ${proposal.requestId})`,
    );
  });
}

export function registerPendingSign(pending: Command): void {
  const cmd = pending
    .command('sign')
    .description(
      'co-sign a proposal over its exact bytes; when that meets the threshold it is submitted and followed',
    )
    .argument('<id>', 'request id, from `serfbort pending`')
    .option('-y, --yes', 'sign without asking (you reviewed it with `serfbort pending show`)')
    .option('--no-wait', 'if submitted, return without following the hosts')
    .option(
      '--timeout <duration>',
      'how long to wait for answers from hosts that are online',
      '10m',
    )
    .option('--json', 'print one JSON document')
    .action(async (id, opts, cmd) => {
      const ctx = contextOf(cmd, opts.json);
      const timeoutMs = parseDuration(opts.timeout, '--timeout');
      await signPending(ctx, id, {
        wait: opts.wait,
        timeoutMs,
        ...(opts.yes ? { yes: true } : {}),
        ...(opts.json ? { json: true } : {}),
      });
    });
  examples(cmd, [
    'serfbort pending sign 3tXv9yQk0aB2',
    'serfbort pending sign 3tXv9yQk0aB2 --yes --json',
  ]);
}
