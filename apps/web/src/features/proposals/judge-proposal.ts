import type { DeployRequest, KeyPair, ProposalView, VerifiedKeyring } from '@serfbort/core';
import type { PreparedRequest } from '@/features/deploy/build-request';

/** One signature of the envelope, as this browser judged it against the verified keyring. */
export interface SignatureVerdict {
  keyid: string;
  /** the keyring's name for the key, when the keyring lists it */
  name: string | null;
  /** genuine: verifies over the exact bytes, by a key allowed this app and target */
  verdict: 'genuine' | 'invalid' | 'unknown-key' | 'not-allowed';
}

export interface SoundProposal {
  ok: true;
  view: ProposalView;
  request: DeployRequest;
  /** the exact payload bytes with their text and digest, as the deploy review shows them */
  prepared: PreparedRequest;
  signatures: SignatureVerdict[];
  /** distinct keys whose signatures are genuine */
  genuine: string[];
  threshold: number;
  /** genuine signatures still needed */
  missing: number;
  /** this browser's word on the proposal, from the envelope and the clock (not the hub's) */
  status: 'open' | 'complete' | 'expired' | 'withdrawn' | 'submitted';
}

/** A proposal this browser cannot show as verified: nothing of it may be co-signed. */
export interface BrokenProposal {
  ok: false;
  view: ProposalView;
  code: string;
  detail: string;
}

export type JudgedProposal = SoundProposal | BrokenProposal;

export function judgeProposal(
  view: ProposalView,
  keyring: VerifiedKeyring | null,
  now: number,
): JudgedProposal {
  void keyring;
  void now;
  return { ok: false, view, code: 'UNVERIFIED', detail: 'pending the client module' };
}

/** The co-signature over the exact payload bytes this browser verified and showed. */
export function cosignature(
  proposal: SoundProposal,
  keyPair: KeyPair,
): { keyid: string; sig: string } {
  void proposal;
  void keyPair;
  throw new Error('pending the client module');
}
