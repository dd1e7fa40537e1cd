import type { Command } from '@commander-js/extra-typings';
import type { TrustView } from '@serfbort/client';
import { judgeTrustView, noteTrust, rosterGaps } from '@serfbort/client';
import type { HostView, Target } from '@serfbort/core';
import { hostProblemTexts } from '@serfbort/core';
import { nodeVerifier } from '@serfbort/node';
import { relativeTime } from '../config/duration.js';
import { targetFrom } from '../deploy/target.js';
import { EXIT } from '../errors.js';
import type { HiddenReceipts } from '../hub/chain-heads.js';
import { hiddenReceipts } from '../hub/chain-heads.js';
import type { VerificationContext } from '../hub/operator-session.js';
import { fleetMemoryIfTrusted, readerSession } from '../hub/operator-session.js';
import { labelNote, labelsText } from '../output/labels.js';
import { renderTable } from '../output/table.js';
import { terminalSafe } from '../output/terminal-safe.js';
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

/** Rostered hosts the target covers that the hub left out, or whose approval it dropped. */
function missingFromHub(
  verified: VerificationContext | undefined,
  target: Target | undefined,
  hosts: readonly HostView[],
) {
  if (!verified) return { withheld: [], disappeared: [] };
  return rosterGaps(verified.fleet, target, new Set(hosts.map((h) => h.name)));
}

/**
 * Each host's trust versions by its own signed report, against the newest this client
 * verified: a hub that keeps one agent on an older keyring shows here.
 */
function trustViews(verified: VerificationContext | undefined, hosts: readonly HostView[]) {
  if (!verified) return { newest: null, views: [] as TrustView[] };
  const { trust, fleet, agentKeys } = verified;
  const newest = noteTrust(fleet.roster, {
    root: trust.root.root.version,
    keyring: trust.keyring.keyring.version,
  }).trust;
  const views = hosts
    .filter((h) => h.approved)
    .map((h) => judgeTrustView(h, agentKeys.get(h.name), newest, nodeVerifier));
  return { newest, views };
}

const trustCell = (v: TrustView | undefined, c: { red(s: string): string }) =>
  !v?.verified
    ? ''
    : [
        `root v${v.root} keyring ${v.keyring === null ? 'none' : `v${v.keyring}`}`,
        ...v.behind.map((b) => c.red(b)),
      ].join('\n');

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
      let verified: VerificationContext | undefined;
      let hidden: HiddenReceipts[] = [];
      try {
        [hosts, verified] = await Promise.all([
          hub.hosts(target ? { target } : {}),
          fleetMemoryIfTrusted(ctx, hub),
        ]);
        // each host's own signed receipt head against the history the hub keeps for it
        if (verified)
          hidden = await hiddenReceipts(
            hub,
            hosts.map((h) => ({ name: h.name, online: h.state === 'online' })),
            verified.agentKeys,
            ctx.now(),
            verified.heads,
          );
      } finally {
        hub.close();
      }
      hosts.sort((a, b) => a.name.localeCompare(b.name));
      const missing = missingFromHub(verified, target, hosts);
      const trust = trustViews(verified, hosts);
      const behind = trust.views.filter((v) => v.behind.length > 0);
      const alarming =
        missing.withheld.length + missing.disappeared.length > 0 || hidden.length > 0;
      if (alarming) process.exitCode = EXIT.hosts;
      if (opts.json) {
        ctx.out.document({
          target: target ?? null,
          hosts,
          withheld: missing.withheld,
          approvalDisappeared: missing.disappeared,
          hiddenReceipts: hidden,
          trust: { newest: trust.newest, hosts: trust.views },
          trustBehind: behind.map((v) => v.host),
        });
        return;
      }
      // a host whose agent signed a newer receipt than the hub shows: the hub hides history
      for (const h of hidden)
        for (const p of h.problems)
          ctx.out.alarm(
            `${terminalSafe(h.host)}: ${p} (see \`serfbort history ${terminalSafe(h.host)}\`)`,
          );
      if (hosts.length === 0 && !alarming) {
        ctx.out.line(target ? 'no host matches' : 'no hosts yet');
        return;
      }
      const { c } = ctx.out;
      const now = ctx.now();
      const gone = new Set(missing.disappeared);
      const state = (h: HostView) => {
        if (gone.has(h.name)) return c.bgRed(c.white(c.bold(' approval disappeared ')));
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
        trustCell(
          trust.views.find((v) => v.host === h.name),
          c,
        ),
      ]);
      const roster = verified?.fleet.roster.hosts ?? {};
      const unlisted = (name: string, why: string) => [
        name,
        c.bgRed(c.white(c.bold(` ${why} `))),
        labelsText(roster[name]?.labels ?? {}),
        '-',
        '',
        '',
        '',
      ];
      for (const name of missing.withheld) rows.push(unlisted(name, 'withheld by the hub'));
      for (const name of missing.disappeared.filter((n) => !hosts.some((h) => h.name === n)))
        rows.push(unlisted(name, 'approval disappeared'));
      ctx.out.line(
        renderTable(
          ['host', 'state', 'labels', 'last seen', 'apps', 'pending deploys', 'trust'],
          rows,
          ctx.config.colorOut,
        ),
      );
      ctx.out.note(
        ctx.out.e.dim(
          'versions as the hosts last reported them to the hub; `serfbort check` asks for signed answers',
        ),
      );
      if (behind.length > 0)
        ctx.out.alarm(
          `behind the newest trust this client verified (the hub did not give them the newest, or they refused it): ${behind.map((v) => `${v.host} (${v.behind.join(', ')})`).join('; ')}`,
        );
      if (missing.withheld.length > 0)
        ctx.out.alarm(
          `withheld by the hub (operators approved them; the hub did not list them): ${missing.withheld.join(', ')}`,
        );
      if (missing.disappeared.length > 0)
        ctx.out.alarm(
          `approval disappeared (the hub no longer presents the approval this client saw): ${missing.disappeared.join(', ')}; if decommissioned: serfbort agents forget NAME`,
        );
    });
  examples(list, [
    'serfbort list',
    "serfbort list -l 'role=web,!canary'",
    'serfbort list --hosts weba,webb --json',
  ]);
}
