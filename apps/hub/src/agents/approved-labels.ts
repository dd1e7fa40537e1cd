import type { AgentKeyEvidence, LabelState, Labels } from '@serfbort/core';
import { parsePayloadType } from '@serfbort/core';

/**
 * Whether an operator signed this host's labels: approvals from version 2 on do. For
 * the others (version-1 approvals, enrollment) the hub keeps the labels the agent announces.
 */
export function labelsSigned(evidence: AgentKeyEvidence): boolean {
  if (evidence.kind !== 'approval') return false;
  return (parsePayloadType(evidence.approval.payloadType)?.version ?? 1) >= 2;
}

export function labelState(
  evidence: AgentKeyEvidence,
  approved: Labels,
  announced: Labels | undefined,
): LabelState {
  if (!labelsSigned(evidence)) return 'not-approved';
  return announced && !sameLabels(approved, announced) ? 'changed' : 'approved';
}

export function sameLabels(a: Labels, b: Labels): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => k in b && a[k] === b[k]);
}
