import type { RolloutStep } from './plan.js';
import type { HostResult } from './results.js';

export interface RollbackPlan {
  /** one step per version the hosts go back to */
  steps: RolloutStep[];
  /** hosts left as they are, and why */
  skipped: { host: string; why: string }[];
}

/**
 * Which version each affected host goes back to: the version-before of its own
 * verified receipt. Hosts where nothing ran need nothing; hosts whose state is
 * unknown are named, never guessed at.
 */
export function planRollback(results: readonly HostResult[]): RollbackPlan {
  const groups = new Map<string, string[]>();
  const skipped: RollbackPlan['skipped'] = [];
  for (const r of results) {
    if (r.result === 'rejected') continue;
    if (!r.ran) {
      skipped.push({ host: r.host, why: `${r.result}: no verified receipt, state unknown` });
      continue;
    }
    if (r.versionBefore === null) {
      skipped.push({ host: r.host, why: 'its receipt reports no version before the deploy' });
      continue;
    }
    const hosts = groups.get(r.versionBefore) ?? [];
    hosts.push(r.host);
    groups.set(r.versionBefore, hosts);
  }
  const versions = [...groups.keys()].sort();
  return {
    steps: versions.map((version, index) => ({
      index,
      kind: 'rollback' as const,
      hosts: [...new Set(groups.get(version))].sort(),
      version,
    })),
    skipped: skipped.sort((a, b) => (a.host < b.host ? -1 : a.host > b.host ? 1 : 0)),
  };
}
