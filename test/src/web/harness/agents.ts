import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type AgentHandle, loadConfig, startAgent } from '@serfbort/agent';

/**
 * Prints its version argument and records it, so the version-report command can read it
 * back. A version ending in `-broken` fails the build (exit 1), for tests that need a failure.
 */
const DEPLOY_SCRIPT = `#!/bin/sh
set -e
echo "fetching $1"
case "$1" in *-broken) echo "build of $1 failed" >&2; exit 1;; esac
echo "building $1" >&2
printf '%s\\n' "$1" > VERSION
echo "deployed $1"
`;

/** A real in-process agent with one app `web` whose deploy step is a small shell script. */
export async function startTestAgent(options: {
  dir: string;
  name: string;
  labels: string[];
  hubUrl: string;
  rootFile: string;
}): Promise<AgentHandle> {
  const home = join(options.dir, options.name);
  const app = join(home, 'apps/web');
  mkdirSync(app, { recursive: true });
  writeFileSync(join(app, 'deploy.sh'), DEPLOY_SCRIPT);
  chmodSync(join(app, 'deploy.sh'), 0o755);
  writeFileSync(join(app, 'VERSION'), 'v1.0.0\n');
  const raw = {
    hub: options.hubUrl,
    name: options.name,
    labels: options.labels,
    trust: { root: options.rootFile },
    stateDir: 'state',
    reconnectMax: '1s',
    presenceInterval: '2s',
    apps: {
      web: {
        deploy: ['./deploy.sh', '{version}'],
        version: ['cat', 'VERSION'],
        cwd: 'apps/web',
        timeout: '30s',
      },
    },
  };
  const config = loadConfig({ raw, baseDir: home, env: {} });
  return startAgent(config);
}

export function readVersion(dir: string, name: string): string {
  return readFileSync(join(dir, name, 'apps/web/VERSION'), 'utf8').trim();
}
