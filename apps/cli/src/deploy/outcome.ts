import { isSuperseded, judgeHost } from '@serfbort/client';
import type { HostProgress, HostState } from '@serfbort/core';
import { FINAL_HOST_STATES } from '@serfbort/core';
import { nodeVerifier } from '@serfbort/node';
import { terminalSafe } from '../output/terminal-safe.js';

/** What the CLI reports per host. Facts come from the host's verified receipt, never the hub's word. */
export type OutcomeStatus =
  | 'succeeded'
  | 'failed'
  | 'rejected'
  | 'timed-out'
  | 'interrupted'
  | 'expired'
  | 'superseded'
  | 'unreachable'
  | 'UNVERIFIED'
  /** an operator vouched for it and the target covers it; the hub left it out or dropped its approval */
  | 'withheld';

export interface HostOutcome {
  host: string;
  status: OutcomeStatus;
  /** the answer carries a signature of an operator-approved key of this host */
  verified: boolean;
  /** refusal or failure code (signed by the host), or why the answer could not be verified */
  reason: string | null;
  exitCode: number | null;
  versionBefore: string | null;
  versionAfter: string | null;
  /** the last state the hub reported, for the record */
  hubState: HostState | 'unknown';
  /** the host's own words about a failure (signed, from the receipt), shortened to one line */
  detail?: string;
  /** the artifact digest the host signed it deployed; on a mismatch, also the digest it fetched */
  artifact?: { sha256: string; fetched?: string };
}

/** Receipt detail is free text from the host: one line, bounded, no control characters. */
function oneLine(text: string): string {
  const flat = terminalSafe(text).trim();
  return flat.length > 200 ? `${flat.slice(0, 199)}…` : flat;
}

export const isFinal = (state: HostState): boolean => FINAL_HOST_STATES.includes(state);

export interface ReceiptExpectation {
  requestId: string;
  requestDigest: string;
  agentKeys: ReadonlyMap<string, Uint8Array>;
}

/** client's one judge, worded for the terminal. */
export function outcomeOf(
  host: string,
  progress: HostProgress | undefined,
  expect: ReceiptExpectation,
): HostOutcome {
  const base = {
    host,
    exitCode: null,
    versionBefore: null,
    versionAfter: null,
    hubState: progress?.state ?? ('unknown' as const),
  };
  const judged = judgeHost(host, progress, { ...expect, verifier: nodeVerifier });
  switch (judged.kind) {
    case 'waiting':
      return {
        ...base,
        status: 'unreachable',
        verified: false,
        reason: !progress
          ? 'the hub did not route the request to it'
          : progress.state === 'pending'
            ? 'not delivered (offline?): it gets the request on reconnect until it expires'
            : `no answer in time (last state: ${progress.state})`,
      };
    case 'expired':
      // a newer request for the same app went to the host instead: it did not lapse
      if (isSuperseded(progress))
        return {
          ...base,
          status: 'superseded',
          verified: false,
          reason: 'SUPERSEDED: a newer request for this app reached the host first',
        };
      // the request lapsed before the host answered: nothing to verify, and nothing ran
      return {
        ...base,
        status: 'expired',
        verified: false,
        reason: 'the request expired before the host answered',
      };
    case 'no-receipt':
      return {
        ...base,
        status: 'UNVERIFIED',
        verified: false,
        reason: 'the hub reported an answer without a signed receipt',
      };
    case 'unverified':
      return { ...base, status: 'UNVERIFIED', verified: false, reason: judged.why };
  }
  const r = judged.receipt;
  return {
    ...base,
    status: r.status,
    verified: true,
    reason: r.reason ?? null,
    ...(r.detail && r.status !== 'succeeded' ? { detail: oneLine(r.detail) } : {}),
    exitCode: r.exitCode,
    versionBefore: r.versionBefore,
    versionAfter: r.versionAfter,
    ...(r.artifact ? { artifact: r.artifact } : {}),
  };
}

/** All good means every host answered, verifiably, with success. */
export const allGood = (outcomes: readonly HostOutcome[]): boolean =>
  outcomes.length > 0 && outcomes.every((o) => o.status === 'succeeded' && o.verified);

export function countStatuses(
  outcomes: readonly HostOutcome[],
): Partial<Record<OutcomeStatus, number>> {
  const counts: Partial<Record<OutcomeStatus, number>> = {};
  for (const o of outcomes) counts[o.status] = (counts[o.status] ?? 0) + 1;
  return counts;
}
