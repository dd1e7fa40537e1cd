import type { HostResult } from '@serfbort/client';
import { stepRequestMismatch } from '@serfbort/client';
import type { HostProgress, RolloutStepView, RolloutView, VerifiedKeyring } from '@serfbort/core';
import {
  type ReceiptVerdict,
  type RequestVerdict,
  verifyHostReceipt,
  verifyRequestEnvelope,
} from '@/features/live/verify-deployment';
import type { AgentKeyLookup } from '@/lib/trust/agent-keys';
import { type HostOutcome, hostOutcome } from './host-outcome';
import type { StepDeployment } from './use-step-deployments';

export interface HostRow {
  host: string;
  progress: HostProgress | undefined;
  verdict: ReceiptVerdict;
  outcome: HostOutcome;
}

export interface StepRows {
  step: RolloutStepView;
  /** why the step's signed request is not believed, when it is not */
  requestProblem: string | null;
  rows: HostRow[];
  failures: number;
  finished: boolean;
}

/** receipts and requests verify once each: tweetnacl takes milliseconds per signature */
export interface VerdictCache {
  receipts: Map<string, ReceiptVerdict>;
  requests: Map<string, RequestVerdict>;
}

/** Every released step's hosts, judged in this browser from the signed request and receipts. */
export function judgeSteps(
  rollout: RolloutView,
  deployments: ReadonlyMap<string, StepDeployment>,
  driverResults: readonly HostResult[],
  keyring: VerifiedKeyring | null,
  lookup: AgentKeyLookup,
  cache: VerdictCache,
): StepRows[] {
  return rollout.steps.map((step) => {
    const d = step.requestId ? deployments.get(step.requestId) : undefined;
    let digest: string | null = null;
    let requestProblem: string | null = null;
    if (d && step.requestId) {
      const req = cache.requests.get(step.requestId) ?? verifyRequestEnvelope(d.view, keyring);
      cache.requests.set(step.requestId, req);
      if (!req.ok) requestProblem = req.why;
      else {
        requestProblem = stepRequestMismatch(req.request, rollout, step);
        if (!requestProblem) digest = req.digest;
      }
    }
    const rows = step.hosts.map((host): HostRow => {
      const progress = d?.hosts.get(host);
      let verdict: ReceiptVerdict = { kind: 'none' };
      if (progress && step.requestId) {
        const key = `${step.requestId}\u0000${digest}\u0000${host}\u0000${progress.state}\u0000${progress.receipt ? JSON.stringify(progress.receipt) : ''}`;
        verdict =
          cache.receipts.get(key) ?? verifyHostReceipt(progress, step.requestId, digest, lookup);
        cache.receipts.set(key, verdict);
      }
      const driver = driverResults.find((r) => r.host === host && r.step === step.index);
      const outcome = step.requestId
        ? hostOutcome({
            state: progress?.state,
            ...(verdict.kind === 'verified' ? { verified: verdict.receipt.status } : {}),
            unverified: verdict.kind === 'unverified',
            ...(driver ? { driver: driver.result } : {}),
          })
        : { result: 'not released', final: false, failing: false };
      return { host, progress, verdict, outcome };
    });
    return {
      step,
      requestProblem,
      rows,
      failures: rows.filter((r) => r.outcome.failing).length,
      finished: step.requestId !== undefined && rows.every((r) => r.outcome.final),
    };
  });
}
