import type { FleetMemory, HostCheck, OwnCheck } from '@serfbort/client';
import { judgeCheck } from '@serfbort/client';
import type { CheckResult } from '@serfbort/core';
import { browserVerifier } from '@/lib/crypto';
import type { AgentKeyLookup } from '@/lib/trust/agent-keys';

export interface CheckSummary {
  /** verified answers grouped by reported version ('' = no version) */
  groups: { version: string; hosts: string[] }[];
  notConfigured: string[];
  errors: { host: string; error: string }[];
  mismatched: { host: string; version: string | null }[];
  unreachable: string[];
  unverified: { host: string; why: string }[];
  /** answers not signed for this check request (replayed) or outside its window */
  stale: { host: string; why: string }[];
  /** hosts this browser knows the target names that the hub neither asked nor reported */
  withheld: string[];
  /** rostered hosts the target names whose approval the hub no longer presents */
  disappeared: string[];
  /** hosts that refused this request, with the code they signed */
  refused: { host: string; code: string }[];
  /** v1 agents answering the hub's unsigned query: nothing proves the answer is of now */
  unproven: string[];
  /** all reachable hosts verified, fresh where they can be, and on the expected version */
  allOk: boolean;
}

/**
 * Judges the hub's check result with client's one check judge (the CLI's too). Keys are
 * looked up for the hosts the answers and the signed target name, and believed only with
 * an approval that verifies in this browser. With this browser's roster, every rostered
 * host the target covers must answer too (withheld, or its approval disappeared).
 */
export function judgeAnswers(
  result: CheckResult,
  own: OwnCheck | undefined,
  lookup: AgentKeyLookup,
  hostsOfInterest: readonly string[],
  expected: string | null,
  roster?: FleetMemory,
): HostCheck[] {
  const agentKeys = new Map<string, Uint8Array>();
  for (const host of hostsOfInterest) {
    const k = lookup(host);
    if (k.ok) agentKeys.set(host, k.key);
  }
  const target = own?.request.target;
  const named = target && 'hosts' in target ? target.hosts : [];
  return judgeCheck({
    ...(own ? { own } : {}),
    result,
    agentKeys,
    known: roster?.known ?? named.filter((h) => agentKeys.has(h)).map((name) => ({ name })),
    ...(roster ? { disappeared: roster.disappeared } : {}),
    ...(expected !== null ? { wanted: expected } : {}),
    verifier: browserVerifier,
  });
}

export function summarize(rows: readonly HostCheck[], expected: string | null): CheckSummary {
  const byVersion = new Map<string, string[]>();
  const of = (s: HostCheck['status']) => rows.filter((r) => r.status === s);
  const why = (r: HostCheck) => [r.code, r.detail].filter((x) => x !== null).join(': ');
  for (const r of rows) {
    if (!['ok', 'mismatch', 'version', 'error'].includes(r.status)) continue;
    const key = r.version ?? '';
    byVersion.set(key, [...(byVersion.get(key) ?? []), r.host]);
  }
  const s: CheckSummary = {
    groups: [...byVersion]
      .map(([version, hosts]) => ({ version, hosts: hosts.sort() }))
      .sort((a, b) => b.hosts.length - a.hosts.length),
    notConfigured: of('not-configured').map((r) => r.host),
    errors: of('error').map((r) => ({ host: r.host, error: r.detail ?? 'no version' })),
    mismatched: of('mismatch').map((r) => ({ host: r.host, version: r.version })),
    unreachable: of('unreachable').map((r) => r.host),
    unverified: of('UNVERIFIED').map((r) => ({ host: r.host, why: why(r) })),
    stale: of('STALE').map((r) => ({ host: r.host, why: why(r) })),
    withheld: of('withheld')
      .filter((r) => r.code !== 'APPROVAL_DISAPPEARED')
      .map((r) => r.host),
    disappeared: of('withheld')
      .filter((r) => r.code === 'APPROVAL_DISAPPEARED')
      .map((r) => r.host),
    refused: of('refused').map((r) => ({ host: r.host, code: r.code ?? '' })),
    unproven: rows.filter((r) => r.fresh === false).map((r) => r.host),
    allOk: false,
  };
  s.allOk = expected !== null && rows.length > 0 && rows.every((r) => r.status === 'ok');
  return s;
}
