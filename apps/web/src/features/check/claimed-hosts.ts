import type { OwnCheck } from '@serfbort/client';
import { claimedHost } from '@serfbort/client';
import type { CheckResult } from '@serfbort/core';

/**
 * The hosts whose keys a check needs: those the answers claim (each answer is then verified
 * against that host's key) and those the signed target names (to see who was left out).
 */
export function claimedHosts(result: CheckResult, own: OwnCheck | undefined): string[] {
  const hosts = new Set<string>();
  for (const answer of result.answers) {
    const host = claimedHost(answer);
    if (host !== undefined) hosts.add(host);
  }
  const target = own?.request.target;
  if (target && 'hosts' in target) for (const h of target.hosts) hosts.add(h);
  return [...hosts];
}
