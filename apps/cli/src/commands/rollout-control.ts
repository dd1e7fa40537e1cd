import type { Command } from '@commander-js/extra-typings';
import { driveRollout, plural } from '@serfbort/client';
import { watchDeployment } from '../deploy/watch.js';
import { verificationContext } from '../hub/operator-session.js';
import { signingKeys } from '../keys/key-files.js';
import { finishRollout, rolloutIO } from '../rollout/drive.js';
import { outcomeJson, outcomeLines } from '../rollout/render.js';
import type { Ctx } from './context.js';
import { collect, contextOf, examples } from './context.js';
import { judged, recordedOutcome } from './rollout-judged.js';
import { type OperatorSession, withOperator } from './with-operator.js';

/** `rollout resume`: drive a rollout on from its verified receipts. */
export function registerRolloutResume(rollout: Command): void {
  const cmd = rollout
    .command('resume')
    .description(
      'continue a rollout whose client went away (or that was paused), from its verified receipts',
    )
    .argument('<id>', 'rollout id')
    .option(
      '--cosign-key <file>',
      'another operator key file that signs each step too',
      collect,
      [] as string[],
    )
    .option('--json', 'print one JSON document with the result')
    .action(async (id, opts, cmd) => {
      const ctx = contextOf(cmd, opts.json);
      await withOperator(ctx, async ({ hub, key }) => {
        const keys = await signingKeys(ctx.config, key, opts.cosignKey);
        const { agentKeys } = await verificationContext(ctx, hub);
        const io = rolloutIO(ctx, hub, keys, agentKeys, opts.json === true);
        const view = io.drive(await hub.rolloutResume(id));
        process.exitCode = await finishRollout(
          ctx,
          io,
          view,
          () => driveRollout(view, io),
          opts.json === true,
        );
      });
    });
  examples(cmd, [
    'serfbort rollout resume 3Jx0fQ7…',
    'serfbort rollout resume 3Jx0fQ7… --cosign-key bob.key.json',
  ]);
}

/** `rollout pause`: no further step until resumed. */
export function registerRolloutPause(rollout: Command): void {
  const cmd = rollout
    .command('pause')
    .description('release no further step until resumed (the current step finishes)')
    .argument('<id>', 'rollout id')
    .option('--json', 'print one JSON document with the rollout')
    .action(async (id, opts, cmd) => {
      const ctx = contextOf(cmd, opts.json);
      await withOperator(ctx, async ({ hub }) => {
        const view = await hub.rolloutControl({
          id,
          status: 'paused',
          reason: `paused by ${ctx.config.keyPath}`,
        });
        if (opts.json) return ctx.out.document({ id, status: view.status, rollout: view });
        ctx.out.line(`paused ${id}; continue it with: serfbort rollout resume ${id}`);
      });
    });
  examples(cmd, ['serfbort rollout pause 3Jx0fQ7…   # then: serfbort rollout resume 3Jx0fQ7…']);
}

/** `rollout abort`: no further step; waits for the current step's hosts. */
export function registerRolloutAbort(rollout: Command): void {
  const cmd = rollout
    .command('abort')
    .description('release no further step; waits until the hosts of the current step have finished')
    .argument('<id>', 'rollout id')
    .option('--json', 'print JSON')
    .action(async (id, opts, cmd) => {
      const ctx = contextOf(cmd, opts.json);
      await withOperator(ctx, (session) => abortRollout(ctx, session, id, opts.json === true));
    });
  examples(cmd, ['serfbort rollout abort 3Jx0fQ7…', 'serfbort rollout abort 3Jx0fQ7… --json']);
}

async function abortRollout(
  ctx: Ctx,
  { hub, who }: OperatorSession,
  id: string,
  json: boolean,
): Promise<void> {
  const view = await hub.rolloutControl({
    id,
    status: 'aborted',
    reason: `aborted by ${who.name ?? 'an operator'}`,
  });
  const current = [...view.steps].reverse().find((s) => s.requestId);
  if (current?.requestId) {
    const deployment = await hub.watch(current.requestId);
    if (!json)
      ctx.out.line(
        `aborted ${id}; waiting for the ${plural(current.hosts.length, 'host')} of step ${current.index + 1} to finish`,
      );
    await watchDeployment(hub, current.requestId, {
      waitFor: new Set(current.hosts),
      graceMs: 0,
      timeoutMs: Math.max(0, deployment.expiresAt - ctx.now()) + 2_000,
      onChange: () => {},
    });
  }
  const { results } = await judged(ctx, hub, id);
  const outcome = recordedOutcome(view, results);
  if (json) ctx.out.document(outcomeJson(outcome));
  else for (const line of outcomeLines(outcome, ctx.out.c)) ctx.out.line(line);
}
