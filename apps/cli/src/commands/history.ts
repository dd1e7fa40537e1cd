import type { Command } from '@commander-js/extra-typings';
import type { HistoryVerdict } from '@serfbort/client';
import { describeProblem } from '@serfbort/client';
import { LIMITS } from '@serfbort/core';
import { nodeVerifier } from '@serfbort/node';
import { targetFrom } from '../deploy/target.js';
import { EXIT } from '../errors.js';
import { verificationContext } from '../hub/operator-session.js';
import { renderTable } from '../output/table.js';
import { terminalSafe } from '../output/terminal-safe.js';
import type { Ctx } from './context.js';
import { contextOf, examples, positiveInt } from './context.js';
import { withOperator } from './with-operator.js';

const iso = (t: number) => new Date(t).toISOString().replace('.000Z', 'Z');

const STATUS_TEXT: Record<HistoryVerdict['status'], string> = {
  intact: 'chain intact',
  broken: 'chain BROKEN',
  unproven: 'chain not proven',
};

function jsonOf(v: HistoryVerdict, exitCode: number) {
  return {
    host: v.host,
    status: v.status,
    exitCode,
    head: v.head,
    problems: v.problems.map((p) => ({ ...p, message: describeProblem(p) })),
    receipts: v.entries.map((e) => ({ seq: e.seq, digest: e.digest, ...e.receipt })),
  };
}

function print(ctx: Ctx, v: HistoryVerdict): void {
  const { c } = ctx.out;
  const rows = v.entries.map((e) => [
    e.seq === null ? c.dim('v1') : String(e.seq),
    iso(e.receipt.finishedAt),
    terminalSafe(e.receipt.app),
    terminalSafe(e.receipt.version),
    e.receipt.status === 'succeeded' ? c.green(e.receipt.status) : c.red(e.receipt.status),
    terminalSafe(e.receipt.reason ?? ''),
    terminalSafe(e.receipt.requestId),
  ]);
  if (rows.length > 0)
    ctx.out.line(
      renderTable(
        ['#', 'finished', 'app', 'version', 'status', 'reason', 'request'],
        rows,
        ctx.config.colorOut,
      ),
    );
  else ctx.out.line('no receipts');
  const head = v.head ? `; the agent's signed head: receipt ${v.head.seq}` : '';
  const status = v.status === 'intact' ? c.green : v.status === 'broken' ? c.red : c.yellow;
  ctx.out.line(`${terminalSafe(v.host)}: ${status(STATUS_TEXT[v.status])}${head}`);
  for (const p of v.problems) ctx.out.line(`  ${c.red('✗')} ${describeProblem(p)}`);
  if (v.status === 'unproven')
    ctx.out.note(
      ctx.out.e.dim(
        v.entries.some((e) => e.seq !== null)
          ? 'the agent has not stated its newest receipt yet (it does in its next hello)'
          : 'the agent signs version-1 receipts, which are not numbered: upgrade it to chain them',
      ),
    );
}

export function registerHistory(program: Command): void {
  const history = program
    .command('history')
    .description("a host's signed receipts in order, with the chain verified on this machine")
    .argument('<host>', 'the host name')
    .option('--limit <n>', 'the newest n receipts', String(LIMITS.historyReceipts))
    .option('--json', 'print one JSON document with the receipts and the verdict')
    .action(async (host, opts, cmd) => {
      const ctx = contextOf(cmd, opts.json);
      targetFrom({ hosts: host }, true);
      const limit = Math.min(positiveInt(opts.limit, '--limit'), LIMITS.historyReceipts);
      const verdict = await withOperator(ctx, async ({ hub }) => {
        const { agentKeys, heads } = await verificationContext(ctx, hub);
        const [served, [view]] = await Promise.all([
          hub.history(host, limit),
          hub.hosts({ target: { hosts: [host] } }),
        ]);
        const v = heads.verify({
          host,
          receipts: served.receipts,
          hello: served.hello,
          head: served.head,
          freshness: { online: view?.state === 'online', now: ctx.now() },
          limit,
          agentKeys,
          verifier: nodeVerifier,
        });
        heads.save();
        return v;
      });
      const code = verdict.status === 'broken' ? EXIT.hosts : EXIT.ok;
      process.exitCode = code;
      if (opts.json) return ctx.out.document(jsonOf(verdict, code));
      print(ctx, verdict);
    });
  examples(history, ['serfbort history weba', 'serfbort history weba --limit 20 --json']);
}
