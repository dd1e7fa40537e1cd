import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** A path in the repository (testkit sits at packages/testkit/src). */
export const repoPath = (p: string): string =>
  fileURLToPath(new URL(`../../../${p}`, import.meta.url));

export type BundledApp = 'agent' | 'hub' | 'cli';

/**
 * The apps as users install them: one esbuild file each (`apps/<app>/build.mjs`).
 * Harnesses run these as processes instead of importing an app, so no workspace
 * depends on another app's source.
 */
export const BUNDLES: Record<BundledApp, string> = {
  agent: repoPath('apps/agent/dist/serfbort-agent.mjs'),
  hub: repoPath('apps/hub/dist/serfbort-hub.mjs'),
  cli: repoPath('apps/cli/dist/serfbort.mjs'),
};

/** Builds the apps' bundles (about a second each): for vitest global setups. */
export function buildBundles(apps: BundledApp[], stdio: 'ignore' | 'inherit' = 'ignore'): void {
  for (const app of apps)
    execFileSync(process.execPath, [repoPath(`apps/${app}/build.mjs`)], { stdio });
}
