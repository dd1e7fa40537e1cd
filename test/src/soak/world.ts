import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUNDLES } from '@serfbort/testkit';
import type { AgentProcess, LogLine, TestHost } from '@serfbort/testkit/agent';
import { createTestHost, spawnAgent } from '@serfbort/testkit/agent';
import type { TestDatabase } from '@serfbort/testkit/hub';
import { createTestDatabase, freePort, freshHubDataDir } from '@serfbort/testkit/hub';
import { TcpProxy } from '../support/tcp-proxy.js';

export const VIEWER_TOKEN = 'soak-viewer-token';

/**
 * The app every soak host deploys: the first thing it does is append the request id and
 * version to runs.log, so the soak can compare what ran with what the CLI signed. A host
 * with a `broken` file fails, which gives rollouts something to count.
 */
const DEPLOY_SCRIPT = `#!/bin/sh
echo "$SERFBORT_REQUEST_ID $1 $(date +%s%3N)" >> runs.log
if [ -f broken ]; then echo "broken host" >&2; exit 7; fi
sleep 0.2
printf '%s\\n' "$1" > VERSION
`;

export interface CliResult {
  args: string[];
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A proxy that can be cut and healed any number of times, on a port that stays the same. */
export class Link {
  readonly proxy: TcpProxy;
  up = false;
  constructor(targetPort: number) {
    this.proxy = new TcpProxy(targetPort);
  }
  async heal(): Promise<void> {
    if (this.up) return;
    await this.proxy.start();
    this.up = true;
  }
  async cut(): Promise<void> {
    if (!this.up) return;
    this.up = false;
    await this.proxy.cut();
  }
  get port(): number {
    return this.proxy.port;
  }
}

/** One `serfbort-hub` process on a fixed port, so agents and proxies find it after a restart. */
export class HubNode {
  child: ChildProcess | undefined;
  frozen = false;
  output = '';
  /** processes the soak killed on purpose: their end is a fault, not a failed start */
  private readonly killed = new WeakSet<ChildProcess>();
  constructor(
    readonly name: string,
    readonly port: number,
    readonly env: Record<string, string>,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }
  get running(): boolean {
    return (
      this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null
    );
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.output = '';
    const child = spawn(process.execPath, [BUNDLES.hub], {
      env: {
        PATH: process.env.PATH ?? '',
        SERFBORT_HUB_PORT: String(this.port),
        SERFBORT_HUB_HOST: '127.0.0.1',
        SERFBORT_HUB_NODE: this.name,
        SERFBORT_LOG_LEVEL: 'warn',
        SERFBORT_VIEWER_TOKEN: VIEWER_TOKEN,
        // every agent and the CLI come from 127.0.0.1: restarts must never look like a flood
        SERFBORT_HUB_CONNECTIONS_PER_SECOND: '1000',
        SERFBORT_HUB_CONNECTION_BURST: '1000',
        DATABASE_URL: '',
        SERFBORT_REDIS_URL: '',
        ...this.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    const keep = (d: Buffer) => {
      this.output = (this.output + d.toString()).slice(-8_000);
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    // the port is fixed: poll /healthz rather than parse logs
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline) {
      // a later kill fault may land while this start still waits: that fault restarts it
      if (this.killed.has(child)) return;
      if (!this.running) throw new Error(`hub ${this.name} exited on start:\n${this.output}`);
      try {
        const r = await fetch(`${this.url}/healthz`, { signal: AbortSignal.timeout(1_000) });
        if (r.ok) return;
      } catch {
        // not listening yet
      }
      await sleep(100);
    }
    // a hub that never comes up is killed, so the next attempt starts afresh
    await this.kill();
    throw new Error(`hub ${this.name} did not answer /healthz within 120 s:\n${this.output}`);
  }

  async kill(): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const exited = new Promise((r) => child.once('exit', r));
    this.killed.add(child);
    child.kill('SIGKILL');
    await exited;
    this.frozen = false;
  }

  freeze(): void {
    if (this.running && !this.frozen) {
      this.child!.kill('SIGSTOP');
      this.frozen = true;
    }
  }
  thaw(): void {
    if (this.running && this.frozen) this.child!.kill('SIGCONT');
    this.frozen = false;
  }
}

/** One host: its temp dir, its agent process (when running), its links to the hubs. */
export class SoakAgent {
  proc: AgentProcess | undefined;
  frozen = false;
  /** the deploy lines (accepted, finished) of every agent process this host has run, oldest first */
  readonly logs: LogLine[] = [];
  constructor(
    readonly name: string,
    readonly host: TestHost,
    readonly links: Link[],
  ) {}

  get running(): boolean {
    const c = this.proc?.child;
    return c !== undefined && c.exitCode === null && c.signalCode === null;
  }

  start(): AgentProcess {
    if (this.running) return this.proc!;
    const proc = spawnAgent({ configPath: this.host.configPath });
    // the harness keeps each process's lines; the checks need the host's whole history
    // of the two lines they read, and only those are kept over thousands of schedules
    const before = proc.logs.push.bind(proc.logs);
    proc.logs.push = (...lines: LogLine[]) => {
      for (const l of lines)
        if (l.event === 'deploy.accepted' || l.event === 'deploy.finished') this.logs.push(l);
      return before(...lines);
    };
    this.proc = proc;
    this.frozen = false;
    return proc;
  }

  async kill(): Promise<void> {
    if (!this.running) return;
    if (this.frozen) this.proc!.child.kill('SIGCONT');
    await this.proc!.stop('SIGKILL');
    this.frozen = false;
  }

  freeze(): void {
    if (this.running && !this.frozen) {
      this.proc!.child.kill('SIGSTOP');
      this.frozen = true;
    }
  }
  thaw(): void {
    if (this.running && this.frozen) this.proc!.child.kill('SIGCONT');
    this.frozen = false;
  }

  /** `request-id version` pairs the deploy command logged, in order */
  runs(): { requestId: string; version: string; at: number }[] {
    let text = '';
    try {
      text = readFileSync(join(this.host.appDir('web'), 'runs.log'), 'utf8');
    } catch {
      return [];
    }
    return text
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [requestId = '', version = '', at = '0'] = line.split(' ');
        return { requestId, version, at: Number(at) };
      });
  }

  setBroken(broken: boolean): void {
    const file = join(this.host.appDir('web'), 'broken');
    if (broken) writeFileSync(file, '');
    else rmSync(file, { force: true });
  }
}

export interface WorldOptions {
  agents: number;
  scaleOut: boolean;
}

/**
 * The soak's fleet, built once and reused by every schedule: hubs, agents behind proxies,
 * the operator's keys and trust, and (scale-out) PostgreSQL and Redis behind proxies.
 */
export class World {
  readonly dir = mkdtempSync(join(tmpdir(), 'serfbort-soak-'));
  readonly hubs: HubNode[] = [];
  readonly agents: SoakAgent[] = [];
  database: TestDatabase | undefined;
  databaseLink: Link | undefined;
  redisLink: Link | undefined;
  private readonly clis = new Set<ChildProcess>();

  constructor(readonly options: WorldOptions) {}

  get hubList(): string {
    return this.hubs.map((h) => h.url).join(',');
  }

  async start(): Promise<void> {
    let shared: Record<string, string> = {};
    if (this.options.scaleOut) {
      this.database = await createTestDatabase();
      if (!this.database) throw new Error('--scale-out needs PostgreSQL on 127.0.0.1:5432');
      this.databaseLink = new Link(5432);
      await this.databaseLink.heal();
      this.redisLink = new Link(6379);
      await this.redisLink.heal();
      const db = new URL(this.database.url);
      db.port = String(this.databaseLink.port);
      shared = {
        DATABASE_URL: db.toString(),
        SERFBORT_REDIS_URL: `redis://127.0.0.1:${this.redisLink.port}`,
        SERFBORT_REDIS_PREFIX: `soak-${this.dir.slice(-6)}`,
        SERFBORT_HUB_HEARTBEAT_MS: '1000',
      };
    }
    const hubCount = this.options.scaleOut ? 2 : 1;
    for (let i = 0; i < hubCount; i++) {
      const env = this.options.scaleOut ? shared : { SERFBORT_HUB_DATA: await freshHubDataDir() };
      const hub = new HubNode(`hub${i}`, await freePort(), env);
      this.hubs.push(hub);
      // hubs sharing one database: the first one migrates, then the next one starts
      await hub.start();
    }
    await this.mustCli(['key', 'generate', '--out', 'root.key.json', '--name', 'root-1']);
    await this.mustCli(['key', 'generate', '--out', 'alice.key.json', '--name', 'alice']);
    await this.mustCli(['trust', 'init', '--root-key', 'root.key.json', '--out', 'root.json']);
    await this.mustCli([
      'trust',
      'add-operator',
      'alice.key.json',
      '--name',
      'alice',
      '--root-key',
      'root.key.json',
    ]);
    await this.mustCli(['trust', 'publish', 'root.json', 'keyring.json']);
    const root = JSON.parse(readFileSync(join(this.dir, 'root.json'), 'utf8'));
    for (let i = 0; i < this.options.agents; i++) {
      const name = `a${i}`;
      // every agent knows every hub, through its own proxies (its first hub differs)
      const links: Link[] = [];
      for (let h = 0; h < this.hubs.length; h++) {
        const link = new Link(this.hubs[(i + h) % this.hubs.length]!.port);
        await link.heal();
        links.push(link);
      }
      const host = createTestHost({
        name,
        hub: links.map((l) => `http://127.0.0.1:${l.port}`),
        labels: ['role=soak'],
        apps: ['web'],
        root,
        extra: {
          logLevel: 'info',
          presenceInterval: '1s',
          reconnectMax: '1s',
          shutdownGrace: '2s',
        },
        appConfig: { web: { timeout: '20s' } },
      });
      writeFileSync(join(host.appDir('web'), 'deploy.sh'), DEPLOY_SCRIPT);
      chmodSync(join(host.appDir('web'), 'deploy.sh'), 0o755);
      writeFileSync(join(host.appDir('web'), 'VERSION'), 'v0\n');
      const agent = new SoakAgent(name, host, links);
      this.agents.push(agent);
      const proc = agent.start();
      const { fingerprint } = await proc.waitForEvent('agent.key-created');
      await proc.waitForEvent('agent.pending');
      await this.mustCli([
        'agents',
        'approve',
        name,
        '--fingerprint',
        String(fingerprint),
        '--yes',
      ]);
      await proc.waitForEvent('agent.approved');
    }
  }

  agent(name: string): SoakAgent {
    const a = this.agents.find((x) => x.name === name);
    if (!a) throw new Error(`no agent ${name}`);
    return a;
  }

  /** The real CLI bundle as alice; killed after `timeoutMs` (a hang is a finding too). */
  cli(args: string[], timeoutMs = 90_000): Promise<CliResult> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [BUNDLES.cli, ...args], {
        cwd: this.dir,
        env: {
          PATH: process.env.PATH ?? '',
          HOME: this.dir,
          NO_COLOR: '1',
          SERFBORT_SCRYPT_LOG_N: '10',
          SERFBORT_HUB: this.hubList,
          SERFBORT_ROOT: join(this.dir, 'root.json'),
          SERFBORT_KEY: join(this.dir, 'alice.key.json'),
          SERFBORT_PASSPHRASE: 'pw',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      this.clis.add(child);
      let stdout = '';
      let stderr = '';
      child.stdout!.setEncoding('utf8').on('data', (d: string) => {
        stdout += d;
      });
      child.stderr!.setEncoding('utf8').on('data', (d: string) => {
        stderr += d;
      });
      const timer = setTimeout(() => {
        stderr += `\n[soak: killed after ${timeoutMs} ms]`;
        child.kill('SIGKILL');
      }, timeoutMs);
      child.on('error', reject);
      child.on('close', (code) => {
        clearTimeout(timer);
        this.clis.delete(child);
        resolve({ args, code, stdout, stderr });
      });
    });
  }

  async mustCli(args: string[]): Promise<CliResult> {
    const r = await this.cli(args);
    if (r.code !== 0)
      throw new Error(`serfbort ${args.join(' ')} exited ${r.code}: ${r.stderr}${r.stdout}`);
    return r;
  }

  /** GET on the first hub that answers (the viewer API). */
  async api<T>(path: string): Promise<T> {
    let last: unknown;
    for (const hub of this.hubs) {
      if (!hub.running || hub.frozen) continue;
      try {
        const r = await fetch(`${hub.url}${path}`, {
          headers: { authorization: `Bearer ${VIEWER_TOKEN}` },
          signal: AbortSignal.timeout(10_000),
        });
        if (r.ok) return (await r.json()) as T;
        last = new Error(`${path}: ${r.status} ${await r.text()}`);
      } catch (e) {
        last = e;
      }
    }
    throw last instanceof Error ? last : new Error(`${path}: no hub answered`);
  }

  /** Undoes every fault: processes thawed and running, every link up. */
  async heal(): Promise<void> {
    for (const link of [this.databaseLink, this.redisLink]) await link?.heal();
    for (const hub of this.hubs) {
      hub.thaw();
      await hub.start();
    }
    for (const agent of this.agents) {
      agent.thaw();
      agent.start();
      for (const link of agent.links) await link.heal();
    }
  }

  async close(): Promise<void> {
    for (const c of this.clis) c.kill('SIGKILL');
    for (const a of this.agents) await a.kill();
    for (const h of this.hubs) await h.kill();
    for (const a of this.agents) for (const l of a.links) await l.cut();
    await this.databaseLink?.cut();
    await this.redisLink?.cut();
    await this.database?.drop().catch(() => undefined);
    for (const a of this.agents) rmSync(a.host.dir, { recursive: true, force: true });
    for (const h of this.hubs) {
      const data = h.env.SERFBORT_HUB_DATA;
      if (data) rmSync(data, { recursive: true, force: true });
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
