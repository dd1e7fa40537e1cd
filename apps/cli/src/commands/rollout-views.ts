import type { Command } from '@commander-js/extra-typings';
import type { RolloutView } from '@serfbort/core';
import { relativeTime } from '../config/duration.js';
import { checkApp } from '../deploy/target.js';
import type { HubSession } from '../hub/session.js';
import { renderTable } from '../output/table.js';
import { terminalSafe } from '../output/terminal-safe.js';
import { outcomeJson, outcomeLines } from '../rollout/render.js';
import type { Ctx } from './context.js';
import { contextOf, examples, positiveInt } from './context.js';
import { judged, recordedOutcome } from './rollout-judged.js';
import { withReader } from './with-operator.js';

/**
 * A rollback row reads as one: the version hosts went back to and the version it undid
 * ("↩ v3 (rollback of v4-broken, rollout …)"), never "→ v4-broken" as if it deployed it.
 */
function rollbackTo(v: RolloutView): string {
  const versions = [...new Set(v.steps.map((s) => s.version ?? '∅'))];
  const of = v.rollbackOf ? `, rollout ${v.rollbackOf}` : '';
  return `↩ ${versions.join(', ')} (rollback of ${v.version}${of})`;
}

const stepsDone = (v: RolloutView) => v.steps.filter((s) => s.requestId).length;

/** Every cell is the hub's word, so every cell passes the terminal gate. */
function listRows(views: readonly RolloutView[], now: number): (string | number)[][] {
  return views.map((v) =>
    [
      v.id,
      v.kind,
      v.app,
      v.kind === 'rollback' ? rollbackTo(v) : v.version,
      v.status,
      `${stepsDone(v)}/${v.steps.length}`,
      v.ownerName,
      relativeTime(v.createdAt, now),
    ].map((cell) => terminalSafe(String(cell))),
  );
}

/** `rollout list`: recent rollouts and rollbacks, newest first. */
export function registerRolloutList(rollout: Command): void {
  const cmd = rollout
    .command('list')
    .description('recent rollouts and rollbacks, newest first')
    .option('--app <app>', 'only this app')
    .option('-n, --limit <n>', 'how many', '20')
    .option('--json', 'print JSON')
    .action(async (opts, cmd) => {
      const ctx = contextOf(cmd, opts.json);
      const limit = positiveInt(opts.limit, '--limit');
      await withReader(ctx, async ({ hub }) => {
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
      });
    });
  examples(cmd, ['serfbort rollout list', 'serfbort rollout list --app shop --json']);
}

/** `rollout show`: the steps and every host's result, verified from its signed receipt. */
export function registerRolloutShow(rollout: Command): void {
  const cmd = rollout
    .command('show')
    .description("a rollout's steps and every host's result, verified from its signed receipt")
    .argument('<id>', 'rollout id')
    .option('--json', 'print JSON')
    .action(async (id, opts, cmd) => {
      const ctx = contextOf(cmd, opts.json);
      await withReader(ctx, ({ hub }) => showRollout(ctx, hub, id, opts.json === true));
    });
  examples(cmd, [
    'serfbort rollout show 3Jx0fQ7…',
    'serfbort rollout show 3Jx0fQ7… --json | jq .summary',
  ]);
}

async function showRollout(ctx: Ctx, hub: HubSession, id: string, json: boolean): Promise<void> {
  const { view, results } = await judged(ctx, hub, id);
  const outcome = recordedOutcome(view, results);
  if (json)
    return ctx.out.document({ ...(outcomeJson(outcome) as object), lock: view.lock ?? null });
  for (const s of view.steps)
    ctx.out.line(
      terminalSafe(
        `step ${s.index + 1} ${s.kind}${s.version ? ` → ${s.version}` : ''}: ${s.hosts.join(', ')}${s.requestId ? `  (request ${s.requestId})` : '  (not released)'}`,
      ),
    );
  ctx.out.line();
  for (const line of outcomeLines(outcome, ctx.out.c)) ctx.out.line(line);
  if (view.rolledBackBy) ctx.out.line(`rolled back by ${terminalSafe(view.rolledBackBy)}`);
  if (view.lock)
    ctx.out.line(
      terminalSafe(
        `holds the lock of ${view.app} (owner ${view.lock.ownerName}, expires ${relativeTime(view.lock.expiresAt, ctx.now())})`,
      ),
    );
}
