import { confirmSubmitted, type VerifiedProposal, verifyProposal } from '@serfbort/client';
import type { DeploymentView, HostIdentity, ProposalView, TrustState } from '@serfbort/core';
import type { PreparedRequest } from '@/features/deploy/build-request';
import { browserVerifier } from '@/lib/crypto';

/** What this browser concludes about a proposal, from its envelope and the clock. */
export type ProposalState =
  | 'open'
  | 'complete'
  | 'confirming'
  | 'submitted'
  | 'expired'
  | 'withdrawn';

export interface SoundProposal {
  ok: true;
  view: ProposalView;
  verified: VerifiedProposal;
  /** the exact payload bytes with their text and digest, as the deploy review shows them */
  prepared: PreparedRequest;
  status: ProposalState;
}

/** A proposal this browser cannot show as verified: nothing of it may be co-signed. */
export interface BrokenProposal {
  ok: false;
  view: ProposalView;
  code: string;
  detail: string;
}

export type JudgedProposal = SoundProposal | BrokenProposal;

/** The hub's `submitted`, checked against the deployment it serves under the id. */
export type SubmittedEvidence =
  /** not looked up yet */
  | undefined
  /** the hub serves no such deployment */
  | null
  | DeploymentView;

/**
 * client's verifyProposal in the browser, against the trust this browser verified from its
 * pinned root, plus the hub's claims it cannot take on faith.
 */
export function judgeProposal(
  view: ProposalView,
  trust: TrustState | null,
  now: number,
  hosts?: readonly HostIdentity[],
  submitted?: SubmittedEvidence,
): JudgedProposal {
  const broken = (code: string, detail: string): BrokenProposal => ({
    ok: false,
    view,
    code,
    detail,
  });
  if (!trust) return broken('TRUST_EXPIRED', 'no verified keyring in this browser yet');
  const verdict = verifyProposal(view, trust, now, browserVerifier, hosts);
  if (!verdict.ok) return broken(verdict.code, verdict.detail);
  let status: ProposalState;
  if (verdict.claimedStatus === 'submitted') {
    if (submitted === undefined) status = 'confirming';
    else {
      const confirmed = confirmSubmitted(verdict, submitted ?? undefined);
      if (!confirmed.ok) return broken(confirmed.code, confirmed.detail);
      status = 'submitted';
    }
  } else if (verdict.claimedStatus === 'open') status = verdict.missing === 0 ? 'complete' : 'open';
  else status = verdict.claimedStatus;
  const prepared: PreparedRequest = {
    request: verdict.request,
    bytes: verdict.payloadBytes,
    text: verdict.payloadText,
    digest: verdict.digest,
  };
  return { ok: true, view, verified: verdict, prepared, status };
}
