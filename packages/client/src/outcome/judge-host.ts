import type { AnyReceipt, HostProgress, Verifier } from '@serfbort/core';
import { FINAL_HOST_STATES, verifyReceipt } from '@serfbort/core';

/** What a host's receipt must answer, and whose keys may sign it. */
export interface ReceiptExpectation {
  requestId: string;
  /** SHA-256 of the exact signed request bytes */
  requestDigest: string;
  /** the operator-approved key of each host */
  agentKeys: ReadonlyMap<string, Uint8Array>;
  verifier: Verifier;
}

/**
 * One host's answer to one request, judged by the operator's own client. Only `verified`
 * says anything about what happened on the host; the rest is what each face words.
 */
export type HostJudgement =
  /** no final state yet, or the hub never listed the host */
  | { kind: 'waiting' }
  /** the request lapsed before the host answered: nothing ran */
  | { kind: 'expired' }
  /** the hub reported a final state without a signed receipt */
  | { kind: 'no-receipt' }
  /** a receipt came, and it does not verify against the host's approved key and this request */
  | { kind: 'unverified'; why: string }
  | { kind: 'verified'; receipt: AnyReceipt };

/**
 * The one outcome judge of the CLI, the dashboard and the rollout driver: a host's outcome
 * is believed only from its receipt, signed by its operator-approved key, answering this
 * exact request; never from the state the hub reports.
 */
export function judgeHost(
  host: string,
  progress: HostProgress | undefined,
  expect: ReceiptExpectation,
): HostJudgement {
  if (!progress || !FINAL_HOST_STATES.includes(progress.state)) return { kind: 'waiting' };
  if (progress.state === 'expired') return { kind: 'expired' };
  if (!progress.receipt) return { kind: 'no-receipt' };
  const v = verifyReceipt(
    progress.receipt,
    { host, requestId: expect.requestId, requestDigest: expect.requestDigest },
    expect.agentKeys,
    expect.verifier,
  );
  return v.ok ? { kind: 'verified', receipt: v.value } : { kind: 'unverified', why: v.detail };
}
