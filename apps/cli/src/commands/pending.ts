import type { Command } from '@commander-js/extra-typings';
import { plural } from '@serfbort/client';
import type { Ctx } from '../context.js';
import { verificationContext } from '../hub/operator-session.js';
import { readKeyFile } from '../keys/key-files.js';
import { renderTable } from '../output/table.js';
import { terminalSafe } from '../output/terminal-safe.js';
import { judgeProposal } from '../proposals/judge.js';
import { proposalJson, proposalRow } from '../proposals/render.js';
import { contextOf, examples } from './context.js';
import { registerPendingShow, registerPendingWithdraw } from './pending-review.js';
import { registerPendingSign } from './pending-sign.js';
import { withReader } from './with-operator.js';

/** The operator's key id from the key file's public part (no passphrase); none for viewers. */
function ownKeyId(ctx: Ctx): string | undefined {
  if (ctx.config.viewerToken !== undefined) return undefined;
  try {
    return readKeyFile(ctx.config.keyPath).keyId;
  } catch {
    return undefined;
  }
}

/** `pending`: open proposals, each verified here; the ones that do not verify are named, never offered. */
async function listPending(ctx: Ctx, json: boolean): Promise<void> {
  const keyId = ownKeyId(ctx);
  await withReader(ctx, async ({ hub }) => {
    const vc = await verificationContext(ctx, hub);
    const views = await hub.proposals('open');
    const judged = views.map((v) => ({ view: v, verdict: judgeProposal(ctx, v, vc) }));
    const good = judged.flatMap((j) => (j.verdict.ok ? [j.verdict] : []));
    const bad = judged.flatMap((j) =>
      j.verdict.ok
        ? []
        : [{ requestId: j.view.requestId, code: j.verdict.code, detail: j.verdict.detail }],
    );
    if (json)
      return ctx.out.document({
        proposals: good.map((p) => proposalJson(p, 'open', keyId)),
        unverified: bad,
      });
    for (const b of bad)
      ctx.out.alarm(
        `proposal ${terminalSafe(b.requestId)} from the hub does not verify (${b.code}: ${terminalSafe(b.detail)}); not shown`,
      );
    if (good.length === 0) return ctx.out.line('no open proposals');
    const now = ctx.now();
    ctx.out.line(
      renderTable(
        [
          'id',
          'app',
          'version',
          'target',
          'signed',
          'proposed by',
          'expires',
          ...(keyId ? ['you'] : []),
        ],
        good.map((p) => proposalRow(p, keyId, now)),
        ctx.config.colorOut,
      ),
    );
    const signable = good.filter((p) => proposalRow(p, keyId, now).at(-1) === 'can sign').length;
    if (keyId && signable > 0)
      ctx.out.note(
        `${plural(signable, 'proposal')} you can co-sign: serfbort pending show ID, then serfbort pending sign ID`,
      );
  });
}

/** `pending [list]`, `pending show|sign|withdraw`: co-signing deploy requests through the hub. */
export function registerPending(program: Command): void {
  const pending = program
    .command('pending')
    .description(
      'deploy requests waiting for co-signatures (apps needing 2+ signatures), verified here',
    );
  // a subcommand, not the parent's own action: a parent's --json would swallow its subcommands'
  const list = pending
    .command('list', { isDefault: true })
    .description('open proposals, each verified here (the default)')
    .option('--json', 'print one JSON document')
    .action(async (opts, cmd) => listPending(contextOf(cmd, opts.json), opts.json === true));
  examples(list, ['serfbort pending', 'serfbort pending list --json']);
  registerPendingShow(pending);
  registerPendingSign(pending);
  registerPendingWithdraw(pending);
  examples(pending, [
    'serfbort pending',
    'serfbort pending show 3tXv9yQk0aB2',
    'serfbort pending sign 3tXv9yQk0aB2',
    'serfbort pending withdraw 3tXv9yQk0aB2 --json',
  ]);
}
