import type { HostView } from '@serfbort/core';
import type { Ctx } from '../commands/context.js';
import { EXIT } from '../errors.js';
import type { HubSession } from '../hub/session.js';
import { ProgressBar } from '../output/progress.js';
import type { HostOutcome } from './outcome.js';
import { allGood, isFinal, outcomeOf } from './outcome.js';
import { countsLine, deployJson, hostLine, summaryTable } from './render.js';
import type { OpenedRequest } from './request.js';
import { fillReceipts, watchDeployment } from './watch.js';

export interface RunOptions {
  json: boolean;
  wait: boolean;
  timeoutMs: number;
}

/**
 * Submits a signed request and follows it: one line per host as it answers, then a summary.
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
  const submittedTo = view.hosts.map((h) => h.host);
  if (!opts.wait) {
    if (opts.json)
      out.document(
        deployJson(req.request, hub.url, null, EXIT.ok, { submitted: true, routedTo: submittedTo }),
      );
    out.line(
      `submitted ${req.request.id} to ${submittedTo.length} host(s); follow it with the dashboard or: serfbort check ${req.request.app} ${req.request.version}`,
    );
    return EXIT.ok;
  }
  const presence = new Map(resolved.map((h) => [h.name, h.state]));
  const named = 'hosts' in req.request.target ? req.request.target.hosts : [];
  const everyone = [...new Set([...submittedTo, ...resolved.map((h) => h.name), ...named])].sort();
  const waitFor = new Set(
    everyone.filter((h) => presence.get(h) === 'online' && submittedTo.includes(h)),
  );
  const offline = everyone.filter((h) => !waitFor.has(h));
  if (!opts.json && offline.length > 0) {
    out.note(
      out.e.yellow(
        `not waiting for ${offline.join(', ')} (offline or unknown): they get the request on reconnect until it expires`,
      ),
    );
  }
  const expect = { requestId: req.request.id, requestDigest: req.digest, agentKeys };
  const bar = new ProgressBar(!opts.json && out.stderrIsTty, waitFor.size);
  let answered = 0;
  if (!opts.json) out.line(`submitted ${req.request.id}: waiting for ${waitFor.size} host(s)`);
  bar.draw(0);
  const result = await watchDeployment(hub, req.request.id, {
    waitFor,
    timeoutMs: opts.timeoutMs,
    onChange: (p) => {
      if (opts.json || !isFinal(p.state)) return;
      if (waitFor.has(p.host)) answered++;
      const o = outcomeOf(p.host, p, expect);
      bar.clear();
      out.line(hostLine(o, out.c));
      if (o.status === 'UNVERIFIED')
        out.alarm(
          `${o.host}'s answer does NOT verify against an operator-approved key (${o.reason}): do not believe it`,
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
  const outcomes: HostOutcome[] = everyone.map((h) => {
    const o = outcomeOf(h, result.hosts.get(h), expect);
    return !submittedTo.includes(h) && !presence.has(h)
      ? { ...o, reason: 'unknown to the hub' }
      : o;
  });
  const code = allGood(outcomes) ? EXIT.ok : EXIT.hosts;
  if (opts.json) {
    out.document(deployJson(req.request, hub.url, outcomes, code, { submitted: true }));
    return code;
  }
  out.line();
  out.line(summaryTable(outcomes, out.c, ctx.config.colorOut));
  out.line(`${req.request.app} ${req.request.version}: ${countsLine(outcomes)}`);
  const unverified = outcomes.filter((o) => o.status === 'UNVERIFIED');
  if (unverified.length > 0)
    out.alarm(
      `${unverified.length} answer(s) UNVERIFIED: ${unverified.map((o) => o.host).join(', ')}`,
    );
  return code;
}
