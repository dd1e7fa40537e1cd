import type { HistoryVerdict } from '@serfbort/client';
import { describeProblem } from '@serfbort/client';
import { nodeVerifier } from '@serfbort/node';
import type { ReceiptHeads } from './receipt-heads.js';
import type { HubSession } from './session.js';

/** hosts whose heads one command compares; more is `serfbort history`'s job */
export const CHAIN_HEADS_MAX = 500;
const PARALLEL = 16;

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
 * failed deploy, say) is caught by `list` and `check`, not only by `history`. One small
 * request per host, 16 at a time.
 */
export async function hiddenReceipts(
  hub: HubSession,
  hosts: readonly HeadCheck[],
  agentKeys: ReadonlyMap<string, Uint8Array>,
  now: number,
  heads: ReceiptHeads,
): Promise<HiddenReceipts[]> {
  const checks = hosts.filter((h) => agentKeys.has(h.name)).slice(0, CHAIN_HEADS_MAX);
  const verdicts: HistoryVerdict[] = [];
  for (let i = 0; i < checks.length; i += PARALLEL) {
    const batch = checks.slice(i, i + PARALLEL);
    const served = await Promise.all(batch.map((h) => hub.history(h.name, 1)));
    // judged under the name asked for, whatever name the hub's answer carries
    for (const [j, s] of served.entries())
      verdicts.push(
        heads.verify({
          host: batch[j]!.name,
          receipts: s.receipts,
          hello: s.hello,
          head: s.head,
          limit: 1,
          agentKeys,
          verifier: nodeVerifier,
          ...(batch[j]!.online !== undefined
            ? { freshness: { online: batch[j]!.online!, now } }
            : {}),
        }),
      );
  }
  heads.save();
  return verdicts
    .filter((v) => v.status === 'broken')
    .map((v) => ({ host: v.host, problems: v.problems.map(describeProblem) }));
}
