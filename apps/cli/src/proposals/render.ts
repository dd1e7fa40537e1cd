import type { VerifiedProposal } from '@serfbort/client';
import type { ProposalStatus } from '@serfbort/core';
import { relativeTime } from '../config/duration.js';
import { requestLines } from '../deploy/render.js';
import { describeTarget } from '../deploy/target.js';
import type { Colors } from '../output/output.js';
import { terminalSafe } from '../output/terminal-safe.js';

/** What this key could do with the proposal: the client's own judgement. */
export function yourPart(p: VerifiedProposal, keyId: string | undefined): string {
  if (!keyId) return '';
  if (p.signatures.some((s) => s.keyId === keyId && s.genuine)) return 'signed';
  if (p.missing === 0) return 'complete';
  return p.allowedKeys.includes(keyId) ? 'can sign' : 'not allowed';
}

const signerName = (s: VerifiedProposal['signatures'][number]) => terminalSafe(s.name ?? s.keyId);

/** Signatures as verified here; the ones that do not verify are named as such. */
export function signatureLines(p: VerifiedProposal, c: Colors): string[] {
  return p.signatures.map((s) =>
    s.counts
      ? `  ${c.green('✓')} ${signerName(s)} (${s.keyId})`
      : s.genuine
        ? `  ${c.yellow('–')} ${signerName(s)} (${s.keyId}): genuine, but may not deploy this; does not count`
        : `  ${c.red('!!')} ${signerName(s)} (${s.keyId}): ${c.red('does not verify: not counted (added by the hub?)')}`,
  );
}

/** The full review: the request's fields, the exact signed bytes, who signed, what is missing. */
export function proposalLines(
  p: VerifiedProposal,
  status: ProposalStatus,
  c: Colors,
  now: number,
): string[] {
  const proposer = terminalSafe(p.proposedByName ?? p.proposedBy);
  return [
    `proposal ${p.requestId}: ${status}, ${p.have} of ${p.threshold} signatures${p.missing ? `, ${p.missing} more needed` : ''}; expires ${relativeTime(p.request.expiresAt, now)}`,
    ...requestLines(p.request, c),
    `  proposed by ${proposer}${p.proposerSigned ? '' : c.red(" (the hub's word: that key did not sign it)")}`,
    'signatures, verified here:',
    ...signatureLines(p, c),
    `exact signed bytes (sha256 ${p.digest}):`,
    `  ${terminalSafe(p.payloadText)}`,
  ];
}

/** One row of `serfbort pending`. */
export function proposalRow(p: VerifiedProposal, keyId: string | undefined, now: number): string[] {
  const signed = p.signatures.filter((s) => s.counts).map(signerName);
  return [
    p.requestId,
    p.request.app,
    terminalSafe(p.request.version),
    describeTarget(p.request.target),
    `${signed.join(', ')} (${p.have}/${p.threshold})`,
    terminalSafe(p.proposedByName ?? p.proposedBy),
    relativeTime(p.request.expiresAt, now),
    ...(keyId ? [yourPart(p, keyId)] : []),
  ];
}

/** --json: the same facts as the human output. */
export function proposalJson(p: VerifiedProposal, status: ProposalStatus, keyId?: string) {
  return {
    requestId: p.requestId,
    status,
    app: p.request.app,
    version: p.request.version,
    target: p.request.target,
    issuedAt: p.request.issuedAt,
    expiresAt: p.request.expiresAt,
    digest: p.digest,
    threshold: p.threshold,
    have: p.have,
    missing: p.missing,
    signatures: p.signatures,
    proposedBy: p.proposedBy,
    ...(p.proposedByName ? { proposedByName: p.proposedByName } : {}),
    proposerSigned: p.proposerSigned,
    ...(keyId ? { you: yourPart(p, keyId) } : {}),
    verified: true,
  };
}
