import type { RolloutHostResult } from '@serfbort/client';
import {
  FINAL_HOST_STATES,
  type HostProgress,
  type HostState,
  type ReceiptStatus,
} from '@serfbort/core';

export interface HostOutcomeInput {
  /** what the hub says */
  state: HostState | undefined;
  /** what the host's receipt says, when it verified in this browser */
  verified?: ReceiptStatus;
  /** a receipt (or a final state) that did not verify */
  unverified?: boolean;
  /** this browser's driver's own verdict, when it drove the step */
  driver?: RolloutHostResult;
}

export interface HostOutcome {
  /** succeeded / failed / rejected / timed-out / interrupted / unverified / silent / offline-pending / in progress */
  result: string;
  final: boolean;
  /** spends the failure budget */
  failing: boolean;
}

/**
 * One host of one step as shown in the rollout view: the outcome is believed only from a
 * verified receipt; without one, a final state is a failure (unverified, silent or offline).
 */
export function hostOutcome(i: HostOutcomeInput): HostOutcome {
  if (i.verified) return { result: i.verified, final: true, failing: i.verified !== 'succeeded' };
  if (i.driver && i.driver !== 'succeeded') return { result: i.driver, final: true, failing: true };
  if (i.unverified) return { result: 'unverified', final: true, failing: true };
  if (i.state && FINAL_HOST_STATES.includes(i.state))
    return i.state === 'expired'
      ? { result: 'silent', final: true, failing: true }
      : { result: 'unverified', final: true, failing: true };
  return { result: i.state ?? 'pending', final: false, failing: false };
}

export const STATUS_TONE = {
  running: 'info',
  paused: 'warn',
  succeeded: 'ok',
  halted: 'bad',
  aborted: 'warn',
  'rolled-back': 'warn',
  expired: 'warn',
} as const;

/**
 * Pushes and snapshots of one host arrive in any order: a final state (with its receipt)
 * is never replaced by an earlier one, and an older snapshot never undoes a newer push.
 */
export function mergeHost(had: HostProgress | undefined, got: HostProgress): HostProgress {
  if (!had) return got;
  const hadFinal = FINAL_HOST_STATES.includes(had.state);
  const gotFinal = FINAL_HOST_STATES.includes(got.state);
  if (hadFinal && !gotFinal) return had;
  if (hadFinal && had.receipt && !got.receipt) return had;
  if (hadFinal === gotFinal && got.updatedAt < had.updatedAt) return { ...got, ...had };
  return { ...had, ...got };
}
