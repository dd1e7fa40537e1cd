import type { Command } from '@commander-js/extra-typings';
import type { ApprovalV2, PendingAgent } from '@serfbort/core';
import {
  checkPublicKey,
  currentPayloadType,
  fingerprintOf,
  keyIdOf,
  signPayload,
  tryFromBase64,
} from '@serfbort/core';
import { nodeSigner } from '@serfbort/node';
import { usageError } from '../errors.js';
import { fleetMemoryIfTrusted } from '../hub/operator-session.js';
import { labelsText } from '../output/labels.js';
import { confirmSigning } from '../prompt/confirm-signing.js';
import type { Ctx } from './context.js';
import { contextOf, examples } from './context.js';
import { type OperatorSession, withOperator } from './with-operator.js';

interface ApproveFlags {
  fingerprint?: string;
  yes?: boolean;
  json?: boolean;
}

/** `agents approve`: an operator's signature makes a pending agent's receipts believable. */
export function registerAgentsApprove(agents: Command): void {
  const cmd = agents
    .command('approve')
    .description(
      "approve a pending agent's key with your signature (clients then believe its receipts)",
    )
    .argument('<name>', 'host name of the pending agent')
    .option(
      '--fingerprint <fp>',
      'the fingerprint the agent shows (serfbort-agent status on its host); required without a terminal, checked against the key the hub presents',
    )
    .option(
      '-y, --yes',
      'do not ask for confirmation once --fingerprint matched (never skips the fingerprint)',
    )
    .option('--json', 'print one JSON document with the result')
    .action(async (name, opts, cmd) => {
      const ctx = contextOf(cmd, opts.json);
      // the hub chooses which key it presents under this name: only the operator's own
      // word for the fingerprint ties it to the host, so no script approves blind
      if (opts.fingerprint === undefined && !ctx.config.interactive)
        throw usageError(
          'FINGERPRINT_REQUIRED',
          `nothing signed: pass --fingerprint with the fingerprint ${name} shows (serfbort-agent status on the host), or approve from a terminal`,
        );
      await withOperator(ctx, (session) => approveAgent(ctx, session, name, opts));
    });
  examples(cmd, [
    'serfbort agents approve weba',
    'serfbort agents approve weba --fingerprint 1a2b-3c4d-5e6f-7a8b --yes   # scripts: the fingerprint is required',
  ]);
}

async function approveAgent(
  ctx: Ctx,
  { hub, key }: OperatorSession,
  name: string,
  opts: ApproveFlags,
): Promise<void> {
  const agent = (await hub.pendingAgents()).find((a) => a.name === name);
  if (!agent)
    throw usageError('NOT_PENDING', `no pending agent named ${name} (serfbort agents pending)`);
  // the hub's listing is not evidence: recompute key id and fingerprint from the key itself
  const raw = tryFromBase64(agent.publicKey);
  if (!raw || checkPublicKey(raw) !== undefined)
    throw usageError('BAD_PUBLIC_KEY', `${name}'s public key is not an admissible Ed25519 key`);
  const fingerprint = fingerprintOf(raw);
  ctx.out.note(`${ctx.out.e.bold(name)} key ${keyIdOf(raw)}`);
  ctx.out.note(
    `fingerprint ${ctx.out.e.bold(fingerprint)}  (compare with 'serfbort-agent status' on the host)`,
  );
  ctx.out.note(
    `labels ${ctx.out.e.bold(labelsText(agent.labels) || '(none)')}${changedFrom(agent)}`,
  );
  if (opts.fingerprint !== undefined && opts.fingerprint.toLowerCase() !== fingerprint) {
    throw usageError(
      'FINGERPRINT_MISMATCH',
      `expected fingerprint ${opts.fingerprint}, the pending key has ${fingerprint}: nothing signed`,
    );
  }
  // without --fingerprint the operator compares it on screen: --yes does not answer that question
  const checked = opts.fingerprint !== undefined;
  await confirmSigning(
    ctx,
    `Approve ${name} with this fingerprint and these labels?`,
    checked && opts.yes,
  );
  const payload: ApprovalV2 = {
    type: 'approval',
    host: name,
    agentKeyId: keyIdOf(raw),
    agentPublicKey: agent.publicKey,
    approvedAt: ctx.now(),
    labels: agent.labels,
  };
  const envelope = signPayload(currentPayloadType('approval'), payload, [nodeSigner(key)]);
  const result = await hub.approve(envelope);
  // the roster learns the approval from the hub's records, verified like any other
  await fleetMemoryIfTrusted(ctx, hub);
  if (opts.json)
    return ctx.out.document({
      host: result.host,
      keyId: keyIdOf(raw),
      fingerprint,
      labels: agent.labels,
      approved: true,
    });
  ctx.out.line(
    `approved ${result.host} (${fingerprint}) as ${labelsText(agent.labels) || 'unlabelled'}`,
  );
}

function changedFrom(agent: PendingAgent): string {
  if (!agent.approvedLabels) return '';
  return `  (labels changed — approved today as ${labelsText(agent.approvedLabels) || '(none)'})`;
}
