import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AgentHandle } from '@serfbort/agent';
import { loadConfig as loadAgentConfig, startAgent } from '@serfbort/agent';
import { startHub } from '@serfbort/hub';
import type { CliRun } from '@serfbort/testkit/cli';
import { runCli, scratchDir } from '@serfbort/testkit/cli';

/** The deploy step every test agent runs: writes the version, or fails for versions starting with "fail". */
const DEPLOY_SCRIPT = `import { writeFileSync } from 'node:fs';
const [app, version] = process.argv.slice(2);
writeFileSync('started-' + app, version);
// versions starting with "slow" take 3 s: long enough to restart the hub meanwhile
if (version.startsWith('slow')) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 3000);
if (version.startsWith('fail')) { console.error('deploy of ' + version + ' failed on purpose'); process.exit(3); }
writeFileSync('current-' + app, version);
console.log('deployed ' + app + ' ' + version);
`;
const REPORT_SCRIPT = `import { readFileSync } from 'node:fs';
process.stdout.write(readFileSync('current-' + process.argv[2], 'utf8'));
`;

export interface AgentSpec {
  name: string;
  labels: string[];
  enrollmentToken?: string;
}

/**
 * A real fleet for end-to-end tests: a hub on 127.0.0.1 port 0 with its own embedded
 * database, real agents in this process, and the CLI bundle run as a child process.
 */
export class Fleet {
  readonly agents = new Map<string, AgentHandle>();
  hubUrl = '';
  private closeHub: (() => Promise<void>) | undefined;
  private readonly scratch = scratchDir('serfbort-e2e-');
  readonly dir = this.scratch.dir;
  /** agent configuration every agent started from now on gets on top of the defaults */
  agentExtra: Record<string, unknown> = {};
  /** per-app agent configuration on top of the defaults (e.g. a `release` for an app) */
  appExtra: Record<string, Record<string, unknown>> = {};
  /** hub configuration on top of the defaults, set before startHub (a viewer token, a PostgreSQL databaseUrl) */
  hubExtra: Record<string, unknown> = {};

  /** runs the CLI as `who` (a key file name without .key.json), pinned to the test root */
  cli(who: string, args: string[], env: Record<string, string | undefined> = {}): Promise<CliRun> {
    return runCli(args, {
      cwd: this.dir,
      env: {
        SERFBORT_PASSPHRASE: 'pw',
        SERFBORT_HUB: this.hubUrl,
        SERFBORT_KEY: join(this.dir, `${who}.key.json`),
        SERFBORT_ROOT: join(this.dir, 'root.json'),
        ...env,
      },
    });
  }

  private hubPort = 0;

  async startHub(): Promise<void> {
    const hub = await startHub({
      port: this.hubPort,
      host: '127.0.0.1',
      dataDir: join(this.dir, 'hub'),
      logLevel: 'silent',
      ...this.hubExtra,
    });
    this.hubUrl = hub.url;
    this.hubPort = hub.port;
    this.closeHub = () => hub.close();
  }

  /** Stops the hub and starts it again on the same port and database (an upgrade, a crash). */
  async restartHub(downMs = 0): Promise<void> {
    await this.closeHub?.();
    this.closeHub = undefined;
    if (downMs > 0) await new Promise((r) => setTimeout(r, downMs));
    await this.startHub();
  }

  async startAgent(spec: AgentSpec): Promise<AgentHandle> {
    const home = join(this.dir, 'agents', spec.name);
    mkdirSync(home, { recursive: true });
    writeFileSync(join(home, 'deploy.mjs'), DEPLOY_SCRIPT);
    writeFileSync(join(home, 'report.mjs'), REPORT_SCRIPT);
    for (const app of ['shop', 'creds'])
      if (!existsSync(join(home, `current-${app}`)))
        writeFileSync(join(home, `current-${app}`), 'v1');
    const app = (name: string) => ({
      deploy: [process.execPath, 'deploy.mjs', name, '{version}'],
      version: [process.execPath, 'report.mjs', name],
      cwd: home,
      timeout: '20s',
      ...this.appExtra[name],
    });
    const config = loadAgentConfig({
      raw: {
        hub: this.hubUrl,
        name: spec.name,
        labels: spec.labels,
        trust: { root: join(this.dir, 'root.json') },
        stateDir: join(home, 'state'),
        apps: { shop: app('shop'), creds: app('creds') },
        reconnectMax: '1s',
        logLevel: 'silent',
        ...this.agentExtra,
        ...(spec.enrollmentToken ? { enrollmentToken: spec.enrollmentToken } : {}),
      },
      baseDir: home,
      env: { PATH: process.env.PATH ?? '' },
    });
    const agent = await startAgent(config);
    this.agents.set(spec.name, agent);
    return agent;
  }

  async stopAgent(name: string): Promise<void> {
    await this.agents.get(name)?.stop({ graceMs: 1000 });
    this.agents.delete(name);
  }

  async close(): Promise<void> {
    for (const name of [...this.agents.keys()]) await this.stopAgent(name);
    await this.closeHub?.();
    this.scratch.remove();
  }
}

/** Resolves when the agent's link reaches `status` (now or later): an event, not a sleep. */
export function reachStatus(
  agent: AgentHandle,
  status: AgentHandle['status'],
  timeoutMs = 20_000,
): Promise<void> {
  if (agent.status === status) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      agent.events.off('status', on);
      reject(new Error(`${agent.name} did not reach ${status} (is ${agent.status})`));
    }, timeoutMs);
    const on = (s: AgentHandle['status']) => {
      if (s !== status) return;
      clearTimeout(timer);
      agent.events.off('status', on);
      resolve();
    };
    agent.events.on('status', on);
  });
}

export function expectOk(run: CliRun, what: string): CliRun {
  if (run.code !== 0)
    throw new Error(`${what} exited ${run.code}\nstdout:\n${run.stdout}\nstderr:\n${run.stderr}`);
  return run;
}

/**
 * The usual start of a journey: root key r1 and operator alice made with the real CLI, a
 * keyring listing alice published on a fresh hub, and `approved` agents (role=web) approved
 * by alice with their fingerprints.
 */
export async function trustedFleet(fleet: Fleet, approved: readonly string[]): Promise<void> {
  for (const who of ['r1', 'alice'])
    expectOk(
      await fleet.cli('r1', ['key', 'generate', '--out', `${who}.key.json`, '--name', who]),
      `key ${who}`,
    );
  expectOk(
    await fleet.cli('r1', ['trust', 'init', '--root-key', 'r1.key.json', '--out', 'root.json']),
    'trust init',
  );
  const addAlice = ['alice.key.json', '--name', 'alice', '--root-key', 'r1.key.json'];
  expectOk(await fleet.cli('r1', ['trust', 'add-operator', ...addAlice]), 'add alice');
  await fleet.startHub();
  expectOk(await fleet.cli('r1', ['trust', 'publish', 'root.json', 'keyring.json']), 'publish');
  for (const name of approved) {
    const agent = await fleet.startAgent({ name, labels: ['role=web'] });
    await reachStatus(agent, 'pending');
    const ready = reachStatus(agent, 'approved');
    const approve = ['agents', 'approve', name, '--fingerprint', agent.fingerprint, '--yes'];
    expectOk(await fleet.cli('alice', approve), `approve ${name}`);
    await ready;
  }
}
