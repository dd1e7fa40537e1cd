import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { HUB_BUNDLE } from '../hub/hub-process.js';
import { AGENT_BUNDLE } from '../real/real-fleet.js';

const git = (args: string[]): string => {
  try {
    return execFileSync('git', args, { encoding: 'utf8', timeout: 10_000 }).trim();
  } catch {
    return '';
  }
};

/** What was measured: the commit, and the bundles' build times (they may hold uncommitted work). */
export function provenance() {
  const built = (path: string) => (existsSync(path) ? statSync(path).mtime.toISOString() : null);
  return {
    gitHead: git(['rev-parse', 'HEAD']),
    uncommittedInHubOrAgent: git(['status', '--short', '--', '../apps/hub', '../apps/agent'])
      .split('\n')
      .filter(Boolean).length,
    hubBundle: HUB_BUNDLE,
    hubBundleBuiltAt: built(HUB_BUNDLE),
    agentBundle: AGENT_BUNDLE,
    agentBundleBuiltAt: built(AGENT_BUNDLE),
  };
}
