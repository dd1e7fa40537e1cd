import type { Command } from '@commander-js/extra-typings';
import type { HostResult, RolloutOutcome } from '@serfbort/client';
import { driveRollout, judgeReleasedSteps, planRollback, rollBack } from '@serfbort/client';
import type { RolloutView } from '@serfbort/core';
import { FINAL_ROLLOUT_STATUSES, PAYLOAD_TYPES, signPayload } from '@serfbort/core';
import { nodeSigner, nodeVerifier } from '@serfbort/node';
import { relativeTime } from '../config/duration.js';
import { checkApp } from '../deploy/target.js';
import { watchDeployment } from '../deploy/watch.js';
import { usageError } from '../errors.js';
import { operatorSession, verificationContext } from '../hub/operator-session.js';
import type { HubSession } from '../hub/session.js';
import { signingKeys } from '../keys/key-files.js';
import { renderTable } from '../output/table.js';
import { confirmSigning } from '../prompt/confirm-signing.js';
import { finishRollout, rolloutIO } from '../rollout/drive.js';
import { outcomeJson, outcomeLines } from '../rollout/render.js';
import type { Ctx } from './context.js';
import { collect, contextOf, examples, positiveInt } from './context.js';

/** The rollout as recorded, with its hosts judged from their receipts by this client. */
const recordedOutcome = (view: RolloutView, results: HostResult[]): RolloutOutcome => ({
  rollout: view,
  status: view.status,
  ...(view.reason ? { reason: view.reason } : {}),
  results,
});

const stepsDone = (v: RolloutView) => v.steps.filter((s) => s.requestId).length;

function listRows(views: readonly RolloutView[], now: number): (string | number)[][] {
  return views.map((v) => [
    v.id,
    v.kind,
    v.app,
    v.kind === 'rollback' ? `(back, of ${v.rollbackOf})` : v.version,
    v.status,
    `${stepsDone(v)}/${v.steps.length}`,
    v.ownerName,
    relativeTime(v.createdAt, now),
  ]);
}

/** The outcome of a rollout so far, judged from the receipts the hub holds. */
async function judged(ctx: Ctx, hub: HubSession, id: string) {
  const view = await hub.rolloutWatch(id);
  const { agentKeys } = await verificationContext(ctx, hub);
  const results = await judgeReleasedSteps(view, {
    deployment: (requestId) => hub.watch(requestId),
    agentKeys,
    verifier: nodeVerifier,
  });
  return { view, results, agentKeys };
}

export function registerRollout(program: Command): void {
  const rollout = program
    .command('rollout')
    .description('rollouts: canary first, batches, failure budget, halt or roll back');

  const rolloutList = rollout
    .command('list')
    .description('recent rollouts and rollbacks, newest first')
    .option('--app <app>', 'only this app')
    .option('-n, --limit <n>', 'how many', '20')
    .option('--json', 'print JSON')
    .action(async (opts, cmd) => {
      const ctx = contextOf(cmd, opts.json);
      const limit = positiveInt(opts.limit, '--limit');
      const { hub } = await operatorSession(ctx);
      try {
        const views = await hub.rollouts({
          ...(opts.app ? { app: checkApp(opts.app) } : {}),
          limit,
        });
        if (opts.json) return ctx.out.document(views);
        if (views.length === 0) return ctx.out.line('no rollouts yet');
        ctx.out.line(
          renderTable(
            ['id', 'kind', 'app', 'version', 'status', 'steps', 'owner', 'started'],
            listRows(views, ctx.now()),
            ctx.config.colorOut,
          ),
        );
      } finally {
        hub.close();
      }
    });
  examples(rolloutList, ['serfbort rollout list', 'serfbort rollout list --app shop --json']);

  const rolloutShow = rollout
    .command('show')
    .description("a rollout's steps and every host's result, verified from its signed receipt")
    .argument('<id>', 'rollout id')
    .option('--json', 'print JSON')
    .action(async (id, opts, cmd) => {
      const ctx = contextOf(cmd, opts.json);
      const { hub } = await operatorSession(ctx);
      try {
        const { view, results } = await judged(ctx, hub, id);
        const outcome = recordedOutcome(view, results);
        if (opts.json)
          return ctx.out.document({ ...(outcomeJson(outcome) as object), lock: view.lock ?? null });
        for (const s of view.steps)
          ctx.out.line(
            `step ${s.index + 1} ${s.kind}${s.version ? ` → ${s.version}` : ''}: ${s.hosts.join(', ')}${s.requestId ? `  (request ${s.requestId})` : '  (not released)'}`,
          );
        ctx.out.line();
        for (const line of outcomeLines(outcome, ctx.out.c)) ctx.out.line(line);
        if (view.rolledBackBy) ctx.out.line(`rolled back by ${view.rolledBackBy}`);
        if (view.lock)
          ctx.out.line(
            `holds the lock of ${view.app} (owner ${view.lock.ownerName}, expires ${relativeTime(view.lock.expiresAt, ctx.now())})`,
          );
      } finally {
        hub.close();
      }
    });
  examples(rolloutShow, [
    'serfbort rollout show 3Jx0fQ7…',
    'serfbort rollout show 3Jx0fQ7… --json | jq .summary',
  ]);

  const rolloutResume = rollout
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
      const { hub, key } = await operatorSession(ctx);
      try {
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
      } finally {
        hub.close();
      }
    });
  examples(rolloutResume, [
    'serfbort rollout resume 3Jx0fQ7…',
    'serfbort rollout resume 3Jx0fQ7… --cosign-key bob.key.json',
  ]);

  const rolloutPause = rollout
    .command('pause')
    .description('release no further step until resumed (the current step finishes)')
    .argument('<id>', 'rollout id')
    .action(async (id, _opts, cmd) => {
      const ctx = contextOf(cmd);
      const { hub } = await operatorSession(ctx);
      try {
        await hub.rolloutControl({
          id,
          status: 'paused',
          reason: `paused by ${ctx.config.keyPath}`,
        });
        ctx.out.line(`paused ${id}; continue it with: serfbort rollout resume ${id}`);
      } finally {
        hub.close();
      }
    });
  examples(rolloutPause, [
    'serfbort rollout pause 3Jx0fQ7…   # then: serfbort rollout resume 3Jx0fQ7…',
  ]);

  const rolloutAbort = rollout
    .command('abort')
    .description('release no further step; waits until the hosts of the current step have finished')
    .argument('<id>', 'rollout id')
    .option('--json', 'print JSON')
    .action(async (id, opts, cmd) => {
      const ctx = contextOf(cmd, opts.json);
      const { hub, who } = await operatorSession(ctx);
      try {
        const view = await hub.rolloutControl({
          id,
          status: 'aborted',
          reason: `aborted by ${who.name ?? 'an operator'}`,
        });
        const current = [...view.steps].reverse().find((s) => s.requestId);
        if (current?.requestId) {
          const deployment = await hub.watch(current.requestId);
          if (!opts.json)
            ctx.out.line(
              `aborted ${id}; waiting for the ${current.hosts.length} host(s) of step ${current.index + 1} to finish`,
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
        if (opts.json) ctx.out.document(outcomeJson(outcome));
        else for (const line of outcomeLines(outcome, ctx.out.c)) ctx.out.line(line);
      } finally {
        hub.close();
      }
    });
  examples(rolloutAbort, [
    'serfbort rollout abort 3Jx0fQ7…',
    'serfbort rollout abort 3Jx0fQ7… --json',
  ]);
  examples(rollout, [
    'serfbort deploy shop v2 -l role=web --canary canary --batch 25% --wait 30s --max-failures 1 --on-failure rollback',
    'serfbort rollout list --app shop',
    'serfbort rollout show 3Jx0…',
    'serfbort rollout resume 3Jx0…',
    'serfbort rollout abort 3Jx0…',
  ]);

  const rollback = program
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
      const { hub, key } = await operatorSession(ctx);
      try {
        const keys = await signingKeys(ctx.config, key, opts.cosignKey);
        const { view, results, agentKeys } = await judged(ctx, hub, id);
        if (view.app !== app)
          throw usageError('BAD_APP', `rollout ${id} is of ${view.app}, not ${app}`);
        if (view.kind === 'rollback') throw usageError('BAD_ROLLOUT', `${id} is itself a rollback`);
        if (!FINAL_ROLLOUT_STATUSES.includes(view.status) && view.status !== 'paused')
          ctx.out.warn(`rollout ${id} is still ${view.status}; the rollback takes over its lock`);
        const plan = planRollback(results);
        if (!opts.json || !opts.yes) {
          ctx.out.note(`About to sign a rollback of ${app} (${id}):`);
          for (const s of plan.steps) ctx.out.note(`  ${s.hosts.join(', ')} → ${s.version}`);
          for (const s of plan.skipped) ctx.out.note(`  not touched: ${s.host}: ${s.why}`);
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
      } finally {
        hub.close();
      }
    });
  examples(rollback, [
    'serfbort rollback shop 3Jx0…',
    'serfbort rollback shop 3Jx0… --yes --json   # CI',
  ]);

  const lock = program
    .command('lock')
    .description("an app's rollout lock: one rollout per app at a time");
  const lockStatus = lock
    .command('status')
    .description('who holds the lock of an app, since when, until when')
    .argument('<app>', 'app name')
    .option('--json', 'print JSON')
    .action(async (app, opts, cmd) => {
      const ctx = contextOf(cmd, opts.json);
      const { hub } = await operatorSession(ctx);
      try {
        const held = await hub.lockStatus(checkApp(app));
        if (opts.json) return ctx.out.document(held);
        if (!held) return ctx.out.line(`${app} is not locked`);
        ctx.out.line(
          `${app} is locked by rollout ${held.rolloutId} of ${held.ownerName} (key ${held.ownerKeyId}), taken ${relativeTime(held.acquiredAt, ctx.now())}, expires ${relativeTime(held.expiresAt, ctx.now())}`,
        );
      } finally {
        hub.close();
      }
    });
  examples(lockStatus, ['serfbort lock status shop', 'serfbort lock status shop --json']);
  const lockRelease = lock
    .command('release')
    .description(
      'free a stuck lock with your signature (its owner, or any operator allowed the app)',
    )
    .argument('<app>', 'app name')
    .option('-y, --yes', 'do not ask for confirmation')
    .action(async (app, opts, cmd) => {
      const ctx = contextOf(cmd);
      const { hub, key } = await operatorSession(ctx);
      try {
        const held = await hub.lockStatus(checkApp(app));
        if (!held) {
          ctx.out.line(`${app} is not locked`);
          return;
        }
        ctx.out.note(
          `About to sign the release of ${app}'s lock, held by rollout ${held.rolloutId} of ${held.ownerName}; that rollout will read as aborted`,
        );
        await confirmSigning(ctx, 'Sign the release?', opts.yes);
        const release = signPayload(
          PAYLOAD_TYPES.lockRelease,
          { type: 'lock-release', app, rolloutId: held.rolloutId, at: ctx.now() },
          [nodeSigner(key)],
        );
        const done = await hub.lockRelease(release);
        ctx.out.line(`released ${done.app}'s lock (rollout ${done.rolloutId})`);
      } finally {
        hub.close();
      }
    });
  examples(lockRelease, ['serfbort lock release shop', 'serfbort lock release shop --yes   # CI']);
  examples(lock, ['serfbort lock status shop', 'serfbort lock release shop --yes']);
}
