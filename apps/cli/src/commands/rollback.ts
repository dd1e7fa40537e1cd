import type { Command } from '@commander-js/extra-typings';
import { planRollback, rollBack } from '@serfbort/client';
import { FINAL_ROLLOUT_STATUSES } from '@serfbort/core';
import { checkApp } from '../deploy/target.js';
import { usageError } from '../errors.js';
import { signingKeys } from '../keys/key-files.js';
import { terminalSafe } from '../output/terminal-safe.js';
import { confirmSigning } from '../prompt/confirm-signing.js';
import { finishRollout, rolloutIO } from '../rollout/drive.js';
import type { Ctx } from './context.js';
import { collect, contextOf, examples } from './context.js';
import { judged } from './rollout-judged.js';
import { type OperatorSession, withOperator } from './with-operator.js';

interface RollbackFlags {
  cosignKey: string[];
  yes?: boolean;
  json?: boolean;
}

/** `rollback`: every host a rollout touched back on the version its own receipt reported before. */
export function registerRollback(program: Command): void {
  const cmd = program
    .command('rollback')
    .description(
      'put every host a rollout touched back on the version its own signed receipt reported before',
    )
    .argument('<app>', 'app name')
    .argument('<rollout-id>', 'the rollout to undo')
    .option(
      '--cosign-key <file>',
      'another operator key file that signs too',
      collect,
      [] as string[],
    )
    .option('-y, --yes', 'do not ask for confirmation')
    .option('--json', 'print one JSON document with the result')
    .action(async (app, id, opts, cmd) => {
      const ctx = contextOf(cmd, opts.json);
      checkApp(app);
      await withOperator(ctx, (session) => rollback(ctx, session, app, id, opts));
    });
  examples(cmd, [
    'serfbort rollback shop 3Jx0…',
    'serfbort rollback shop 3Jx0… --yes --json   # CI',
  ]);
}

async function rollback(
  ctx: Ctx,
  { hub, key }: OperatorSession,
  app: string,
  id: string,
  opts: RollbackFlags,
): Promise<void> {
  const keys = await signingKeys(ctx.config, key, opts.cosignKey);
  const { view, results, agentKeys } = await judged(ctx, hub, id);
  if (view.app !== app) throw usageError('BAD_APP', `rollout ${id} is of ${view.app}, not ${app}`);
  if (view.kind === 'rollback') throw usageError('BAD_ROLLOUT', `${id} is itself a rollback`);
  if (!FINAL_ROLLOUT_STATUSES.includes(view.status) && view.status !== 'paused')
    ctx.out.warn(`rollout ${id} is still ${view.status}; the rollback takes over its lock`);
  const plan = planRollback(results);
  if (!opts.json || !opts.yes) {
    ctx.out.note(`About to sign a rollback of ${app} (${id}):`);
    // versions and reasons come from receipts and the hub's view: through the terminal gate
    for (const s of plan.steps)
      ctx.out.note(terminalSafe(`  ${s.hosts.join(', ')} → ${s.version}`));
    for (const s of plan.skipped) ctx.out.note(terminalSafe(`  not touched: ${s.host}: ${s.why}`));
  }
  if (plan.steps.length === 0) {
    if (opts.json)
      ctx.out.document({ rolloutId: id, status: 'nothing-to-do', skipped: plan.skipped });
    else ctx.out.line('nothing to roll back: no host has a verified version to go back to');
    return;
  }
  await confirmSigning(ctx, 'Sign and release the rollback?', opts.yes);
  const io = rolloutIO(ctx, hub, keys, agentKeys, opts.json === true);
  process.exitCode = await finishRollout(
    ctx,
    io,
    view,
    () => rollBack(view, results, io),
    opts.json === true,
  );
}
