import { plural } from '@serfbort/client';
import type { DeploymentView, HostView } from '@serfbort/core';
import type { Ctx } from '../context.js';
import { EXIT } from '../errors.js';
import type { HubSession } from '../hub/session.js';
import { ProgressBar } from '../output/progress.js';
import { terminalSafe } from '../output/terminal-safe.js';
import type { HostOutcome } from './outcome.js';
import { allGood, isFinal, outcomeOf } from './outcome.js';
import { countsLine, deployJson, hostLine, summaryTable } from './render.js';
import type { OpenedRequest } from './request.js';
import { fillReceipts, watchDeployment } from './watch.js';

/** ms to keep listening for delivery of hosts the hub did not list as online */
const DELIVERY_GRACE_MS = 3_000;

export interface RunOptions {
  json: boolean;
  wait: boolean;
  timeoutMs: number;
  /** from this client's roster: who the target covers, and whose approval the hub dropped */
  rostered?: RosteredHosts;
}

export interface RosteredHosts {
  covered: readonly string[];
  disappeared: readonly string[];
}

const WITHHELD = 'withheld by the hub: an operator approved it, the hub did not route to it';
const DISAPPEARED = 'approval disappeared: the hub no longer presents the approval this client saw';

/** The roster's word over the hub's: a host it covers that the hub left out is named. */
function withRoster(
  o: HostOutcome,
  known: { routed: boolean; listed: boolean },
  rostered: RosteredHosts,
): HostOutcome {
  if (rostered.disappeared.includes(o.host))
    return { ...o, status: 'withheld', verified: false, reason: DISAPPEARED };
  if (known.routed || known.listed) return o;
  return rostered.covered.includes(o.host)
    ? { ...o, status: 'withheld', verified: false, reason: WITHHELD }
    : { ...o, reason: 'unknown to the hub' };
}

/**
 * Submits a signed request and follows it (unless --no-wait).
 * Returns the exit code: 0 only if every targeted host verifiably succeeded.
 */
export async function submitAndWatch(
  ctx: Ctx,
  hub: HubSession,
  req: OpenedRequest,
  resolved: HostView[],
  agentKeys: ReadonlyMap<string, Uint8Array>,
  opts: RunOptions,
): Promise<number> {
  const { out } = ctx;
  const view = await hub.submit(req.envelope);
  if (!opts.wait) {
    const routedTo = view.hosts.map((h) => h.host);
    if (opts.json)
      out.document(deployJson(req.request, hub.url, null, EXIT.ok, { submitted: true, routedTo }));
    out.line(
      `submitted ${req.request.id} to ${plural(routedTo.length, 'host')}; follow it with: serfbort watch ${req.request.id}`,
    );
    return EXIT.ok;
  }
  if (!opts.json) out.line(`submitted ${req.request.id}`);
  return followDeployment(ctx, hub, req, view, resolved, agentKeys, opts);
}

/** One line per host as it answers, then a summary; every receipt verified against approved agent keys. */
export async function followDeployment(
  ctx: Ctx,
  hub: HubSession,
  req: OpenedRequest,
  view: DeploymentView,
  resolved: HostView[],
  agentKeys: ReadonlyMap<string, Uint8Array>,
  opts: RunOptions,
): Promise<number> {
  const { out } = ctx;
  const submittedTo = view.hosts.map((h) => h.host);
  const presence = new Map(resolved.map((h) => [h.name, h.state]));
  const named = 'hosts' in req.request.target ? req.request.target.hosts : [];
  const rostered = opts.rostered ?? { covered: [], disappeared: [] };
  const everyone = [
    ...new Set([...submittedTo, ...resolved.map((h) => h.name), ...named, ...rostered.covered]),
  ].sort();
  const waitFor = new Set(
    everyone.filter((h) => presence.get(h) === 'online' && submittedTo.includes(h)),
  );
  const expect = { requestId: req.request.id, requestDigest: req.digest, agentKeys };
  const bar = new ProgressBar(!opts.json && out.stderrIsTty, waitFor.size);
  let answered = 0;
  if (!opts.json)
    out.line(`routed to ${plural(submittedTo.length, 'host')}; waiting for their answers`);
  bar.draw(0);
  const result = await watchDeployment(hub, req.request.id, {
    waitFor,
    graceMs: DELIVERY_GRACE_MS,
    timeoutMs: opts.timeoutMs,
    onChange: (p) => {
      if (opts.json || !isFinal(p.state)) return;
      if (waitFor.has(p.host)) answered++;
      bar.setTotal(waitFor.size);
      const o = outcomeOf(p.host, p, expect);
      bar.clear();
      out.line(hostLine(o, out.c));
      if (o.status === 'UNVERIFIED')
        out.alarm(
          terminalSafe(
            `${o.host}'s answer does NOT verify against an operator-approved key (${o.reason}): do not believe it`,
          ),
        );
      bar.draw(answered);
    },
  });
  bar.clear();
  if (result.stopped === 'timeout' && !opts.json)
    out.warn('stopped waiting: some hosts did not answer in time (--timeout)');
  if (result.stopped === 'hub-lost' && !opts.json)
    out.warn('lost the hub connection while waiting');
  await fillReceipts(hub, req.request.id, result.hosts);
  const outcomes: HostOutcome[] = everyone.map((h) =>
    withRoster(
      outcomeOf(h, result.hosts.get(h), expect),
      { routed: submittedTo.includes(h), listed: presence.has(h) },
      rostered,
    ),
  );
  const code = allGood(outcomes) ? EXIT.ok : EXIT.hosts;
  const withReason = (reason: string) =>
    outcomes.filter((o) => o.status === 'withheld' && o.reason === reason).map((o) => o.host);
  const withheld = withReason(WITHHELD);
  const gone = withReason(DISAPPEARED);
  if (opts.json) {
    out.document(
      deployJson(req.request, hub.url, outcomes, code, {
        submitted: true,
        withheld,
        approvalDisappeared: gone,
      }),
    );
    return code;
  }
  out.line();
  out.line(summaryTable(outcomes, out.c, ctx.config.colorOut));
  out.line(`${req.request.app} ${req.request.version}: ${countsLine(outcomes)}`);
  if (withheld.length > 0)
    out.alarm(`withheld by the hub (operators approved them; not routed): ${withheld.join(', ')}`);
  if (gone.length > 0)
    out.alarm(
      `approval disappeared (the hub no longer presents it): ${gone.join(', ')}; if decommissioned: serfbort agents forget NAME`,
    );
  const unverified = outcomes.filter((o) => o.status === 'UNVERIFIED');
  if (unverified.length > 0)
    out.alarm(
      terminalSafe(
        `${plural(unverified.length, 'answer')} UNVERIFIED: ${unverified.map((o) => o.host).join(', ')}`,
      ),
    );
  return code;
}
