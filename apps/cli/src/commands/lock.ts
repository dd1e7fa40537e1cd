import type { Command } from '@commander-js/extra-typings';
import { PAYLOAD_TYPES, signPayload } from '@serfbort/core';
import { nodeSigner } from '@serfbort/node';
import { relativeTime } from '../config/duration.js';
import { checkApp } from '../deploy/target.js';
import { terminalSafe } from '../output/terminal-safe.js';
import { confirmSigning } from '../prompt/confirm-signing.js';
import type { Ctx } from './context.js';
import { contextOf, examples } from './context.js';
import { type OperatorSession, withOperator, withReader } from './with-operator.js';

/** `lock`: an app's rollout lock, one rollout per app at a time. */
export function registerLock(program: Command): void {
  const lock = program
    .command('lock')
    .description("an app's rollout lock: one rollout per app at a time");
  registerLockStatus(lock);
  registerLockRelease(lock);
  examples(lock, ['serfbort lock status shop', 'serfbort lock release shop --yes']);
}

function registerLockStatus(lock: Command): void {
  const cmd = lock
    .command('status')
    .description('who holds the lock of an app, since when, until when')
    .argument('<app>', 'app name')
    .option('--json', 'print JSON')
    .action(async (app, opts, cmd) => {
      const ctx = contextOf(cmd, opts.json);
      await withReader(ctx, async ({ hub }) => {
        const held = await hub.lockStatus(checkApp(app));
        if (opts.json) return ctx.out.document(held);
        if (!held) return ctx.out.line(`${app} is not locked`);
        ctx.out.line(
          terminalSafe(
            `${app} is locked by rollout ${held.rolloutId} of ${held.ownerName} (key ${held.ownerKeyId}), taken ${relativeTime(held.acquiredAt, ctx.now())}, expires ${relativeTime(held.expiresAt, ctx.now())}`,
          ),
        );
      });
    });
  examples(cmd, ['serfbort lock status shop', 'serfbort lock status shop --json']);
}

function registerLockRelease(lock: Command): void {
  const cmd = lock
    .command('release')
    .description(
      'free a stuck lock with your signature (its owner, or any operator allowed the app)',
    )
    .argument('<app>', 'app name')
    .option('-y, --yes', 'do not ask for confirmation')
    .option('--json', 'print one JSON document with the result')
    .action(async (app, opts, cmd) => {
      const ctx = contextOf(cmd, opts.json);
      await withOperator(ctx, (session) => releaseLock(ctx, session, app, opts.yes));
    });
  examples(cmd, ['serfbort lock release shop', 'serfbort lock release shop --yes   # CI']);
}

async function releaseLock(
  ctx: Ctx,
  { hub, key }: OperatorSession,
  app: string,
  yes: boolean | undefined,
): Promise<void> {
  const held = await hub.lockStatus(checkApp(app));
  if (!held) {
    if (ctx.out.json) return ctx.out.document({ app, released: false, locked: false });
    ctx.out.line(`${app} is not locked`);
    return;
  }
  ctx.out.note(
    terminalSafe(
      `About to sign the release of ${app}'s lock, held by rollout ${held.rolloutId} of ${held.ownerName}; that rollout will read as aborted`,
    ),
  );
  await confirmSigning(ctx, 'Sign the release?', yes);
  const release = signPayload(
    PAYLOAD_TYPES.lockRelease,
    { type: 'lock-release', app, rolloutId: held.rolloutId, at: ctx.now() },
    [nodeSigner(key)],
  );
  const done = await hub.lockRelease(release);
  if (ctx.out.json)
    return ctx.out.document({ app: done.app, rolloutId: done.rolloutId, released: true });
  ctx.out.line(terminalSafe(`released ${done.app}'s lock (rollout ${done.rolloutId})`));
}
