import {
  type CheckAnswer,
  type CheckResult,
  checkAnswer,
  openEnvelope,
  PAYLOAD_TYPES,
  verifyCheckAnswer,
} from '@serfbort/core';
import { browserVerifier } from '@/lib/crypto';
import type { AgentKeyLookup } from '@/lib/trust/agent-keys';

export type AnswerVerdict =
  | { host: string; ok: true; answer: CheckAnswer }
  | { host: string; ok: false; why: string };

export interface CheckSummary {
  /** verified answers grouped by reported version ('' = no version) */
  groups: { version: string; hosts: string[] }[];
  notConfigured: string[];
  errors: { host: string; error: string }[];
  mismatched: { host: string; version: string | null }[];
  unreachable: string[];
  unverified: { host: string; why: string }[];
  /** all reachable hosts verified and on the expected version */
  allOk: boolean;
}

/** Each answer is believed only if the host's operator-approved key signed it for this check. */
export function verifyAnswers(result: CheckResult, lookup: AgentKeyLookup): AnswerVerdict[] {
  return result.answers.map((envelope) => {
    const opened = openEnvelope(envelope, PAYLOAD_TYPES.checkAnswer);
    const claimed = opened.ok ? checkAnswer.safeParse(opened.value.payload) : null;
    const host = claimed?.success ? claimed.data.host : '(unreadable answer)';
    if (!claimed?.success) return { host, ok: false, why: opened.ok ? 'MALFORMED' : opened.reason };
    const key = lookup(host);
    if (!key.ok) return { host, ok: false, why: key.why };
    const v = verifyCheckAnswer(
      envelope,
      { host, checkId: result.checkId },
      new Map([[host, key.key]]),
      browserVerifier,
    );
    if (!v.ok) return { host, ok: false, why: v.detail };
    if (v.value.app !== result.app)
      return { host, ok: false, why: `answers for app ${v.value.app}` };
    return { host, ok: true, answer: v.value };
  });
}

export function summarize(
  result: CheckResult,
  verdicts: AnswerVerdict[],
  expected: string | null,
): CheckSummary {
  const byVersion = new Map<string, string[]>();
  const s: CheckSummary = {
    groups: [],
    notConfigured: [],
    errors: [],
    mismatched: [],
    unreachable: [...result.unreachable].sort(),
    unverified: [],
    allOk: false,
  };
  for (const v of verdicts) {
    if (!v.ok) {
      s.unverified.push({ host: v.host, why: v.why });
      continue;
    }
    const a = v.answer;
    if (!a.configured) {
      s.notConfigured.push(a.host);
      continue;
    }
    if (a.error) s.errors.push({ host: a.host, error: a.error });
    const key = a.version ?? '';
    byVersion.set(key, [...(byVersion.get(key) ?? []), a.host]);
    if (expected !== null && a.version !== expected)
      s.mismatched.push({ host: a.host, version: a.version });
  }
  s.groups = [...byVersion]
    .map(([version, hosts]) => ({ version, hosts: hosts.sort() }))
    .sort((a, b) => b.hosts.length - a.hosts.length);
  const answered = verdicts.length;
  s.allOk =
    expected !== null &&
    answered > 0 &&
    s.mismatched.length === 0 &&
    s.unreachable.length === 0 &&
    s.unverified.length === 0 &&
    s.notConfigured.length === 0;
  return s;
}
