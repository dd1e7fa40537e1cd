import type { Command } from '@commander-js/extra-typings';
import type { AuditVerdict } from '@serfbort/core';
import { ChainWalker } from '@serfbort/core';
import { EXIT } from '../errors.js';
import { AuditHeads } from '../hub/audit-heads.js';
import { HubSession } from '../hub/session.js';
import { contextOf, examples } from './context.js';
import { withOperator } from './with-operator.js';

/** Every row, a page at a time, walked here: the hub's own verdict is not asked for. */
async function walkChain(hub: HubSession): Promise<AuditVerdict> {
  const head = await hub.auditHead();
  const walker = new ChainWalker();
  let after = 0;
  // bounded by the head the hub named: a hub that keeps serving rows cannot keep us here
  while (after < head.seq) {
    const rows = (await hub.auditRows(after)).filter((r) => r.seq <= head.seq);
    if (rows.length === 0) break;
    for (const row of rows) walker.push(row);
    after = rows.at(-1)!.seq;
  }
  const verdict = walker.verdict();
  // rows missing at the end, or a head that is not the last row served, break it too
  if (verdict.ok && (walker.rows !== head.seq || (head.seq > 0 && verdict.headHash !== head.hash)))
    return { ok: false, rows: walker.rows, firstBroken: Math.min(walker.rows + 1, head.seq) };
  return verdict;
}

export function registerAudit(program: Command): void {
  const audit = program
    .command('audit')
    .description("check the hub's hash-chained audit log on this machine");
  const verify = audit
    .command('verify')
    .description('fetch the whole audit chain from the running hub and verify every link here')
    .option('--json', 'print the verdict as JSON')
    .action(async (opts, cmd) => {
      const ctx = contextOf(cmd, opts.json);
      // the session itself checks the chain extends the head remembered from last time
      const verdict = await withOperator(ctx, ({ hub }) => walkChain(hub));
      process.exitCode = verdict.ok ? EXIT.ok : EXIT.hosts;
      if (opts.json) return ctx.out.document(verdict);
      if (verdict.ok)
        ctx.out.line(
          `audit chain OK: ${verdict.rows} rows${verdict.headHash ? `, head ${verdict.headHash}` : ''}`,
        );
      else
        ctx.out.line(
          ctx.out.c.red(
            `audit chain BROKEN at row ${verdict.firstBroken} (of ${verdict.rows} rows)`,
          ),
        );
    });
  examples(verify, ['serfbort audit verify', 'serfbort audit verify --json']);
  const forget = audit
    .command('forget-head')
    .description(
      'forget the audit head remembered for this hub, accepting its history as it is now (after a restore from backup)',
    )
    .option('--json', 'print the hub id and the head forgotten as JSON')
    .action(async (opts, cmd) => {
      const ctx = contextOf(cmd, opts.json);
      const hub = await HubSession.open(ctx.config.hubs, ctx.out);
      let hubId: string;
      try {
        hubId = await hub.identify();
      } finally {
        hub.close();
      }
      const heads = new AuditHeads(ctx.config.configDir);
      const was = heads.get(hubId);
      heads.forget(hubId);
      if (opts.json) return ctx.out.document({ hubId, forgotten: was ?? null });
      ctx.out.line(
        was
          ? `forgot the audit head of hub ${hubId} (row ${was.seq}, ${was.hash}); the next session remembers the hub's head as it is then`
          : `no audit head was remembered for hub ${hubId}`,
      );
    });
  examples(forget, ['serfbort audit forget-head', 'serfbort audit forget-head --json']);
  examples(audit, ['serfbort audit verify', 'serfbort audit forget-head']);
}
