import { plural } from '@serfbort/client';
import type { DeploymentSummary, HostView } from '@serfbort/core';

/** Versions seen by the last check per app, so the deploy form can suggest them. */
const checkedVersions = new Map<string, Set<string>>();

export function rememberCheckedVersions(app: string, versions: Iterable<string>): void {
  const set = checkedVersions.get(app) ?? new Set<string>();
  for (const v of versions) set.add(v);
  checkedVersions.set(app, set);
}

export interface VersionSuggestion {
  version: string;
  source: string;
}

/** Recent deploys first, then versions hosts run now, then versions seen by checks. */
export function versionSuggestions(
  app: string,
  recent: DeploymentSummary[],
  hosts: HostView[],
): VersionSuggestion[] {
  const out = new Map<string, string>();
  for (const d of recent)
    if (d.app === app && !out.has(d.version))
      out.set(d.version, `deployed ${new Date(d.submittedAt).toLocaleDateString()}`);
  const running = new Map<string, number>();
  for (const h of hosts) {
    const v = h.apps[app]?.version;
    if (v) running.set(v, (running.get(v) ?? 0) + 1);
  }
  for (const [v, n] of [...running].sort((a, b) => b[1] - a[1]))
    if (!out.has(v)) out.set(v, `running on ${plural(n, 'host')}`);
  for (const v of checkedVersions.get(app) ?? []) if (!out.has(v)) out.set(v, 'seen by a check');
  return [...out].slice(0, 30).map(([version, source]) => ({ version, source }));
}

export function knownApps(hosts: HostView[], recent: DeploymentSummary[]): string[] {
  const apps = new Set<string>();
  for (const h of hosts) for (const a of Object.keys(h.apps)) apps.add(a);
  for (const d of recent) apps.add(d.app);
  return [...apps].sort();
}
