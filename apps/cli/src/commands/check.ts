import { randomBytes } from 'node:crypto';
import type { Command } from '@commander-js/extra-typings';
import {
  buildCheckRequest,
  goodCheck,
  judgeCheck,
  plural,
  rosteredHosts,
  signCheckRequest,
} from '@serfbort/client';
import { nodeSigner, nodeVerifier } from '@serfbort/node';
import { parseDuration } from '../config/duration.js';
import { refuseTypos } from '../deploy/resolve-hosts.js';
import { checkApp, checkVersionArg, describeTarget, targetFrom } from '../deploy/target.js';
import { EXIT, usageError } from '../errors.js';
import { hiddenReceipts } from '../hub/chain-heads.js';
import { verificationContext } from '../hub/operator-session.js';
import { terminalSafe } from '../output/terminal-safe.js';
import { printCheckRows } from './check-output.js';
import { contextOf, examples } from './context.js';
import { withOperator } from './with-operator.js';

export function registerCheck(program: Command): void {
  const check = program
    .command('check')
    .description('ask hosts to report the version of an app now; OK when all match VERSION')
    .argument('<app>', 'app name')
    .argument('[version]', 'the version every host should run')
    .option('-l, --selector <selector>', "only hosts matching this label selector, e.g. 'role=web'")
    .option('--hosts <names>', 'only these hosts, comma separated')
    .option('--timeout <duration>', 'how long hosts have to answer', '10s')
    .option(
      '--allow-unknown',
      'warn, instead of refusing, about host names and an app the fleet does not know',
    )
    .option('--json', 'print one JSON document with the result')
    .action(async (app, version, opts, cmd) => {
      const ctx = contextOf(cmd, opts.json);
      checkApp(app);
      if (version !== undefined) checkVersionArg(version);
      const target = targetFrom(opts, false);
      const timeoutMs = parseDuration(opts.timeout, '--timeout');
      const { rows, hidden } = await withOperator(ctx, async ({ hub, key }) => {
        // the nonce is ours and the request signed, so no hub can pick the question or reuse answers
        const own = signCheckRequest(
          buildCheckRequest(
            { app, ...(target ? { target } : {}), timeoutMs },
            {
              now: ctx.now,
              randomBytes: (n) => new Uint8Array(randomBytes(n)),
            },
          ),
          nodeSigner(key),
        );
        const { agentKeys, fleet, heads } = await verificationContext(ctx, hub);
        await refuseTypos(ctx, hub, target, {
          app,
          allowUnknown: opts.allowUnknown === true,
          rostered: target
            ? rosteredHosts(fleet, target).covered
            : [...fleet.known.map((h) => h.name)],
        });
        const result = await hub.check({
          app,
          ...(target ? { target } : {}),
          timeoutMs,
          request: own.envelope,
        });
        // who should answer is what this client remembers, not only what the hub presents
        const judged = judgeCheck({
          own,
          result,
          agentKeys,
          known: fleet.known,
          disappeared: fleet.disappeared,
          ...(version !== undefined ? { wanted: version } : {}),
          verifier: nodeVerifier,
        });
        // the hosts' own signed receipt heads against the history the hub keeps for them
        const hidden = await hiddenReceipts(
          hub,
          judged.map((r) => ({ name: r.host })),
          agentKeys,
          ctx.now(),
          heads,
        );
        return { rows: judged, hidden };
      });
      if (rows.length === 0)
        throw usageError('NO_MATCHING_HOSTS', `no host matches ${describeTarget(target)}`);
      const allOk = rows.every(goodCheck) && hidden.length === 0;
      for (const h of hidden)
        for (const p of h.problems)
          ctx.out.alarm(
            `${terminalSafe(h.host)}: ${p} (see \`serfbort history ${terminalSafe(h.host)}\`)`,
          );
      const code = allOk ? EXIT.ok : EXIT.hosts;
      process.exitCode = code;
      if (opts.json)
        return ctx.out.document({
          app,
          version: version ?? null,
          target: target ?? null,
          ok: allOk,
          exitCode: code,
          hosts: rows,
          withheld: rows
            .filter((r) => r.status === 'withheld' && r.code === 'WITHHELD')
            .map((r) => r.host),
          approvalDisappeared: rows
            .filter((r) => r.code === 'APPROVAL_DISAPPEARED')
            .map((r) => r.host),
          freshnessUnproven: rows.filter((r) => r.fresh === false).map((r) => r.host),
          hiddenReceipts: hidden,
        });
      if (version !== undefined && allOk && rows.every((r) => r.fresh === true))
        return ctx.out.line(
          `${ctx.out.c.green('OK')} ${plural(rows.length, 'host')} ${rows.length === 1 ? 'runs' : 'run'} ${app} ${version}`,
        );
      printCheckRows(ctx, rows);
    });
  examples(check, [
    'serfbort check shop',
    'serfbort check shop v1.4.2 -l role=web',
    'serfbort check shop v1.4.2 --hosts weba,webb --json',
  ]);
}
