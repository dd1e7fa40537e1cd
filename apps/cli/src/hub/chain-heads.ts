import { describeProblem } from '@serfbort/client';
import type { HostHistory } from '@serfbort/core';
import { LIMITS } from '@serfbort/core';
import { nodeVerifier } from '@serfbort/node';
import type { ReceiptHeads } from './receipt-heads.js';
import type { HubSession } from './session.js';

/**
 * hosts a hub older than `hosts:heads` is asked about, one request each, 16 at a time:
 * within a socket's message budget (50 a second, 200 at once), which refuses more
 */
export const PER_HOST_MAX = 150;
const PER_HOST_PARALLEL = 16;
/** `hosts:heads` requests in flight at once */
const BATCHES_PARALLEL = 4;

export interface HiddenReceipts {
  host: string;
  problems: string[];
}

/** A host to judge; `online` (as the hub shows it) lets a stale signed head count. */
export interface HeadCheck {
  name: string;
  online?: boolean;
}

/**
 * Each host's newest receipt as the hub shows it, against the freshest head its agent
 * signed (hello or receipt-head statement): a hub that drops a host's newest receipt (a
 * failed deploy, say) is caught by `list` and `check`, not only by `history`. Every host
 * is compared, `LIMITS.headsPerRequest` to a request; a hub older than that request is
 * asked per host, for the first `PER_HOST_MAX` of them.
 */
export async function hiddenReceipts(
  hub: HubSession,
  hosts: readonly HeadCheck[],
  agentKeys: ReadonlyMap<string, Uint8Array>,
  now: number,
  heads: ReceiptHeads,
): Promise<HiddenReceipts[]> {
  const checks = hosts.filter((h) => agentKeys.has(h.name));
  const served = await servedHeads(hub, checks);
  const hidden: HiddenReceipts[] = [];
  for (const [h, s] of served) {
    // an answer for another name, or none, is the hub's doing: judged on nothing, a
    // host without history would pass
    if (s?.host !== h.name) {
      hidden.push({ host: h.name, problems: ['the hub left this host out of its answer'] });
      continue;
    }
    const verdict = heads.verify({
      host: h.name,
      receipts: s.receipts,
      hello: s.hello,
      head: s.head ?? null,
      limit: 1,
      agentKeys,
      verifier: nodeVerifier,
      ...(h.online !== undefined ? { freshness: { online: h.online, now } } : {}),
    });
    if (verdict.status === 'broken')
      hidden.push({ host: h.name, problems: verdict.problems.map(describeProblem) });
  }
  heads.save();
  return hidden;
}

type Served = [HeadCheck, HostHistory | undefined];

async function servedHeads(hub: HubSession, checks: readonly HeadCheck[]): Promise<Served[]> {
  const batches = chunks(checks, LIMITS.headsPerRequest);
  const served: Served[] = [];
  for (const group of chunks(batches, BATCHES_PARALLEL)) {
    const answers = await Promise.all(group.map((b) => hub.heads(b.map((h) => h.name))));
    if (answers.some((a) => a === null)) return servedPerHost(hub, checks);
    for (const [i, batch] of group.entries())
      for (const [j, h] of batch.entries()) served.push([h, answers[i]![j]]);
  }
  return served;
}

async function servedPerHost(hub: HubSession, checks: readonly HeadCheck[]): Promise<Served[]> {
  const served: Served[] = [];
  for (const batch of chunks(checks.slice(0, PER_HOST_MAX), PER_HOST_PARALLEL)) {
    const answers = await Promise.all(batch.map((h) => hub.history(h.name, 1)));
    for (const [j, h] of batch.entries()) served.push([h, answers[j]]);
  }
  return served;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
