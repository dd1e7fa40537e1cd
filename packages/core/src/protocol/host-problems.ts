import type { AgentProblemCode } from '../schemas/agents.js';
import type { HostView } from './views.js';

/** A host's problem as `list`, the fleet view and /metrics name it. */
export type HostProblemCode = AgentProblemCode | 'CLOCK_SKEW';

/** The words operators see; fixed here, never the agent's own text, so every face says the same. */
export const HOST_PROBLEM_WORDS: Readonly<Record<HostProblemCode, string>> = {
  DISK_FULL: 'disk full',
  STATE_UNWRITABLE: 'state unwritable',
  TRUST_EXPIRED: 'trust expired',
  CLOCK_SKEW: 'clock skew',
};

/** The metric label of a problem: `serfbort_hub_agents_with_problem{problem="disk_full"}`. */
export const hostProblemLabel = (code: HostProblemCode): string => code.toLowerCase();

/**
 * Everything in a host's way, in words: a refused hello (only while it keeps the host
 * offline; the hub words its skew, "clock skew 600 s"), then what the online agent reports.
 */
export function hostProblemTexts(h: Pick<HostView, 'state' | 'problem' | 'problems'>): string[] {
  const refused = h.problem && h.state !== 'online' ? [h.problem.detail] : [];
  const reported = (h.problems ?? []).map((p) => HOST_PROBLEM_WORDS[p.code]);
  return [...refused, ...reported];
}
