import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';

/**
 * The deploy script of a test app. The version (the only input from the network)
 * picks its behaviour: `hold-*` waits for a `release` file, `pause-*` takes a second,
 * `fail-*` exits 7. Every run is logged with timestamps in ran.log.
 */
const DEPLOY_SCRIPT = `#!/bin/sh
set -e
echo "start $1 $(date +%s%N)" >> ran.log
echo "deploying $1 ($SERFBORT_REQUEST_ID)"
case "$1" in
  hold-*) touch "started-$1"; while [ ! -f release ]; do sleep 0.05; done ;;
  pause-*) sleep 1 ;;
  fail-*) echo "boom" >&2; exit 7 ;;
esac
printf '%s\\n' "$1" > VERSION
echo "end $1 $(date +%s%N)" >> ran.log
`;

export interface TestHostOptions {
  name: string;
  hub: string | string[];
  apps?: string[];
  labels?: string[];
  /** pin: a root document file's content, or a fingerprint */
  root?: unknown;
  rootFingerprint?: string;
  /** extra top-level config fields (shutdownGrace, reconnectMax, ...) */
  extra?: Record<string, unknown>;
  /** per-app overrides (timeout, deploy argv, ...) */
  appConfig?: Record<string, Record<string, unknown>>;
}

export interface TestHost {
  dir: string;
  configPath: string;
  stateDir: string;
  appDir(app: string): string;
  /** lines of the app's ran.log: `start V NANOS` / `end V NANOS` */
  ranLog(app: string): string[];
  currentVersion(app: string): string | undefined;
  release(app: string): void;
  started(app: string, version: string): boolean;
  writeConfig(patch?: Partial<TestHostOptions>): void;
}

const created: string[] = [];

/** Removes every test host directory made by this process (call after its agents stopped). */
export function removeTestHosts(): void {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A "server host" in a temp dir: apps with real deploy scripts, and the agent's YAML config. */
export function createTestHost(options: TestHostOptions): TestHost {
  const dir = mkdtempSync(join(tmpdir(), `serfbort-host-${options.name}-`));
  created.push(dir);
  const appDir = (app: string) => join(dir, 'apps', app);
  for (const app of options.apps ?? ['web']) {
    mkdirSync(appDir(app), { recursive: true });
    writeFileSync(join(appDir(app), 'deploy.sh'), DEPLOY_SCRIPT);
    chmodSync(join(appDir(app), 'deploy.sh'), 0o755);
  }
  const configPath = join(dir, 'agent.yaml');
  let current = options;
  const writeConfig = (patch: Partial<TestHostOptions> = {}) => {
    current = { ...current, ...patch };
    let trust: Record<string, string> = {};
    if (current.root !== undefined) {
      writeFileSync(join(dir, 'root.json'), JSON.stringify(current.root));
      trust = { root: 'root.json' };
    } else if (current.rootFingerprint) trust = { rootFingerprint: current.rootFingerprint };
    const apps = Object.fromEntries(
      (current.apps ?? ['web']).map((app) => [
        app,
        {
          deploy: ['./deploy.sh', '{version}'],
          version: ['cat', 'VERSION'],
          cwd: `apps/${app}`,
          timeout: '60s',
          ...current.appConfig?.[app],
        },
      ]),
    );
    const config = {
      hub: current.hub,
      name: current.name,
      labels: current.labels ?? [],
      trust,
      stateDir: 'state',
      reconnectMax: '1s',
      presenceInterval: '5s',
      shutdownGrace: '10s',
      logLevel: 'debug',
      apps,
      ...current.extra,
    };
    writeFileSync(configPath, stringify(config));
  };
  writeConfig();
  return {
    dir,
    configPath,
    stateDir: join(dir, 'state'),
    appDir,
    ranLog: (app) =>
      existsSync(join(appDir(app), 'ran.log'))
        ? readFileSync(join(appDir(app), 'ran.log'), 'utf8')
            .trim()
            .split('\n')
        : [],
    currentVersion: (app) =>
      existsSync(join(appDir(app), 'VERSION'))
        ? readFileSync(join(appDir(app), 'VERSION'), 'utf8').trim()
        : undefined,
    release: (app) => writeFileSync(join(appDir(app), 'release'), ''),
    started: (app, version) => existsSync(join(appDir(app), `started-${version}`)),
    writeConfig,
  };
}
