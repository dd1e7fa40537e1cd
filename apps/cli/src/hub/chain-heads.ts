import type { HistoryVerdict } from '@serfbort/client';
import { describeProblem, verifyHistory } from '@serfbort/client';
import { nodeVerifier } from '@serfbort/node';
import type { HubSession } from './session.js';

/** hosts whose heads one command compares; more is `serfbort history`'s job */
export const CHAIN_HEADS_MAX = 500;
const PARALLEL = 16;

export interface HiddenReceipts {
  host: string;
  problems: string[];
}

/**
 * Each host's newest receipt as the hub shows it, against the head its agent signed in its
 * last hello: a hub that drops a host's newest receipt (a failed deploy, say) is caught by
 * `list` and `check`, not only by `history`. One small request per host, 16 at a time.
 */
export async function hiddenReceipts(
  hub: HubSession,
  hosts: readonly string[],
  agentKeys: ReadonlyMap<string, Uint8Array>,
): Promise<HiddenReceipts[]> {
  const names = hosts.filter((h) => agentKeys.has(h)).slice(0, CHAIN_HEADS_MAX);
  const verdicts: HistoryVerdict[] = [];
  for (let i = 0; i < names.length; i += PARALLEL) {
    const batch = names.slice(i, i + PARALLEL);
    const served = await Promise.all(batch.map((h) => hub.history(h, 1)));
    // judged under the name asked for, whatever name the hub's answer carries
    for (const [j, s] of served.entries())
      verdicts.push(
        verifyHistory({
          host: batch[j]!,
          receipts: s.receipts,
          hello: s.hello,
          limit: 1,
          agentKeys,
          verifier: nodeVerifier,
        }),
      );
  }
  return verdicts
    .filter((v) => v.status === 'broken')
    .map((v) => ({ host: v.host, problems: v.problems.map(describeProblem) }));
}
