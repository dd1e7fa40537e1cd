import type { ReceiptHead } from '@serfbort/core';
import type { ChainProblem, HistoryEntry } from './history-types.js';

/**
 * The chain checks on verified entries, in the order the hub served them: order, forks,
 * gaps and links, then the agent's own signed head. `truncated` says the page was full,
 * so receipts before the first one shown may have been left out on request.
 */
export function chainProblems(
  served: readonly HistoryEntry[],
  head: ReceiptHead | null,
  truncated: boolean,
): ChainProblem[] {
  const problems: ChainProblem[] = [];
  const chained = served.filter((e): e is HistoryEntry & { seq: number } => e.seq !== null);
  // reordering: the hub serves oldest first, so a number below its predecessor was moved
  for (let i = 1; i < chained.length; i++) {
    const [a, b] = [chained[i - 1]!, chained[i]!];
    if (b.seq < a.seq) problems.push({ kind: 'reordered', seq: b.seq, after: a.seq });
  }
  // forks: one number, two different receipts (the same receipt twice is only a resend)
  const bySeq = new Map<number, HistoryEntry & { seq: number }>();
  for (const e of chained) {
    const seen = bySeq.get(e.seq);
    if (
      seen &&
      seen.digest !== e.digest &&
      !problems.some((p) => p.kind === 'fork' && p.seq === e.seq)
    )
      problems.push({ kind: 'fork', seq: e.seq });
    if (!seen) bySeq.set(e.seq, e);
  }
  const ordered = [...bySeq.values()].sort((a, b) => a.seq - b.seq);
  // gaps and links, from receipt 1 (or the first shown when older ones were paged away)
  let before: (HistoryEntry & { seq: number }) | undefined;
  for (const e of ordered) {
    const expected = before ? before.seq + 1 : truncated ? e.seq : 1;
    if (e.seq > expected)
      problems.push({ kind: 'gap', from: expected, to: e.seq - 1, newest: false });
    else if (before && e.prev !== before.digest) problems.push({ kind: 'broken-link', seq: e.seq });
    else if (!before && e.seq === 1 && e.prev !== null)
      problems.push({ kind: 'broken-link', seq: 1 });
    before = e;
  }
  if (!head || head.seq === 0) return problems;
  // the agent's own word: its newest receipt must be shown, and be the one shown
  const newestShown = before?.seq ?? 0;
  if (head.seq > newestShown)
    problems.push({ kind: 'gap', from: newestShown + 1, to: head.seq, newest: true });
  else if (bySeq.has(head.seq) && bySeq.get(head.seq)!.digest !== head.digest)
    problems.push({ kind: 'head-mismatch', seq: head.seq });
  return problems;
}
