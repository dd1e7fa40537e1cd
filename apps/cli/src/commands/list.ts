import type { Command } from '@commander-js/extra-typings';
import type { HostView } from '@serfbort/core';
import { hostProblemTexts } from '@serfbort/core';
import { relativeTime } from '../config/duration.js';
import { targetFrom } from '../deploy/target.js';
import { CliError, EXIT } from '../errors.js';
import type { HiddenReceipts } from '../hub/chain-heads.js';
import { hiddenReceipts } from '../hub/chain-heads.js';
import { readerSession, verificationContext } from '../hub/operator-session.js';
import type { HubSession } from '../hub/session.js';
import { labelNote, labelsText } from '../output/labels.js';
import { renderTable } from '../output/table.js';
import { terminalSafe } from '../output/terminal-safe.js';
import type { Ctx } from './context.js';
import { contextOf, examples } from './context.js';

// what hosts reported, relayed by the hub: each part passes the terminal gate on its own
// line (the cell's line breaks are ours)
const labelsCell = (h: HostView) =>
  [terminalSafe(labelsText(h.labels)), terminalSafe(labelNote(h))].filter(Boolean).join('\n');

const appsText = (h: HostView) =>
  Object.entries(h.apps)
    .map(([app, v]) => terminalSafe(`${app} ${v.version ?? (v.error ? `error: ${v.error}` : '?')}`))
    .join('\n');

const pendingText = (h: HostView) =>
  h.pendingDeploys.map((p) => terminalSafe(`${p.app} ${p.version}`)).join('\n');

/** The hosts' signed receipt heads against what the hub shows; a hub without trust to verify them is named. */
async function compareHeads(
  ctx: Ctx,
  hub: HubSession,
  hosts: HostView[],
): Promise<HiddenReceipts[]> {
  let agentKeys: Map<string, Uint8Array>;
  try {
    ({ agentKeys } = await verificationContext(ctx, hub));
  } catch (e) {
    if (!(e instanceof CliError)) throw e;
    ctx.out.warn(`the hosts' signed receipt heads were not compared: ${e.message}`);
    return [];
  }
  return hiddenReceipts(
    hub,
    hosts.map((h) => h.name),
    agentKeys,
  );
}

export function registerList(program: Command): void {
  const list = program
    .command('list')
    .description('hosts with labels, state, last seen, app versions and pending deploys')
    .option('-l, --selector <selector>', "only hosts matching this label selector, e.g. 'dc=ams'")
    .option('--hosts <names>', 'only these hosts, comma separated')
    .option('--json', 'print one JSON document with the hosts')
    .action(async (opts, cmd) => {
      const ctx = contextOf(cmd, opts.json);
      const target = targetFrom(opts, false);
      const { hub } = await readerSession(ctx);
      let hosts: HostView[];
      let hidden: HiddenReceipts[];
      try {
        hosts = await hub.hosts(target ? { target } : {});
        hidden = await compareHeads(ctx, hub, hosts);
      } finally {
        hub.close();
      }
      hosts.sort((a, b) => a.name.localeCompare(b.name));
      // a host whose agent signed a newer receipt than the hub shows: the hub hides history
      if (hidden.length > 0) process.exitCode = EXIT.hosts;
      if (opts.json) {
        ctx.out.document({ target: target ?? null, hosts, hiddenReceipts: hidden });
        return;
      }
      for (const h of hidden)
        for (const p of h.problems)
          ctx.out.alarm(
            `${terminalSafe(h.host)}: ${p} (see \`serfbort history ${terminalSafe(h.host)}\`)`,
          );
      if (hosts.length === 0) {
        ctx.out.line(target ? 'no host matches' : 'no hosts yet');
        return;
      }
      const { c } = ctx.out;
      const now = ctx.now();
      const state = (h: HostView) => {
        if (!h.approved) return c.yellow('pending approval');
        // a refused hello says why the host is not online: it stands for the bare "left"
        const presence =
          h.state === 'online' ? c.green('online') : h.problem ? '' : c.red(terminalSafe(h.state));
        const problems = hostProblemTexts(h).map((p) => c.red(terminalSafe(p)));
        return [presence, ...problems].filter(Boolean).join('\n');
      };
      const rows = hosts.map((h) => [
        terminalSafe(h.name),
        state(h),
        labelsCell(h),
        h.state === 'online' ? 'now' : relativeTime(h.lastSeen, now),
        appsText(h),
        pendingText(h),
      ]);
      ctx.out.line(
        renderTable(
          ['host', 'state', 'labels', 'last seen', 'apps', 'pending deploys'],
          rows,
          ctx.config.colorOut,
        ),
      );
      ctx.out.note(
        ctx.out.e.dim(
          'versions as the hosts last reported them to the hub; `serfbort check` asks for signed answers',
        ),
      );
    });
  examples(list, [
    'serfbort list',
    "serfbort list -l 'role=web,!canary'",
    'serfbort list --hosts weba,webb --json',
  ]);
}
