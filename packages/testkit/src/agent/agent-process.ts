import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { BUNDLES, repoPath } from '../bundles.js';

export const AGENT_SOURCE = repoPath('apps/agent/src/main.ts');
export const AGENT_BUNDLE = BUNDLES.agent;

export interface LogLine {
  level: number;
  event?: string;
  msg?: string;
  [key: string]: unknown;
}

export interface AgentProcessOptions {
  configPath: string;
  /** the built bundle (as installed on hosts) or the TypeScript source via tsx */
  entry?: 'bundle' | 'source' | string;
  env?: NodeJS.ProcessEnv;
  args?: string[];
}

/**
 * A real `serfbort-agent run` process. Its JSON log lines are collected so tests wait
 * on what the agent says it did (`agent.approved`, `deploy.finished`), not on sleeps.
 */
export class AgentProcess {
  readonly logs: LogLine[] = [];
  readonly stderr: string[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly waiters = new Set<() => void>();

  constructor(readonly child: ChildProcess) {
    let buffered = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        try {
          this.logs.push(JSON.parse(line) as LogLine);
        } catch {
          this.logs.push({ level: 30, msg: line });
        }
      }
      for (const w of this.waiters) w();
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => this.stderr.push(chunk));
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    void this.exited.then(() => {
      for (const w of this.waiters) w();
    });
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** The first log line matching `match` (seen already or still to come). */
  waitForLog(
    match: (l: LogLine) => boolean,
    timeoutMs = 30_000,
    what = 'a log line',
  ): Promise<LogLine> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.logs.find(match);
        if (found) {
          done();
          resolve(found);
        } else if (this.child.exitCode !== null || this.child.signalCode !== null) {
          done();
          reject(new Error(`agent exited before ${what}; stderr: ${this.stderr.join('')}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(
          new Error(
            `timed out waiting for ${what}; last logs: ${JSON.stringify(this.logs.slice(-5))}`,
          ),
        );
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }

  waitForEvent(
    event: string,
    extra: Record<string, unknown> = {},
    timeoutMs?: number,
  ): Promise<LogLine> {
    return this.waitForLog(
      (l) => l.event === event && Object.entries(extra).every(([k, v]) => l[k] === v),
      timeoutMs,
      `${event} ${JSON.stringify(extra)}`,
    );
  }

  /** Sends a signal and waits for the exit. */
  async stop(
    signal: NodeJS.Signals = 'SIGTERM',
  ): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return this.exited;
  }
}

export function spawnAgent(options: AgentProcessOptions): AgentProcess {
  const entry = options.entry ?? (existsSync(AGENT_BUNDLE) ? 'bundle' : 'source');
  const argv =
    entry === 'source'
      ? ['--import', 'tsx', AGENT_SOURCE]
      : [entry === 'bundle' ? AGENT_BUNDLE : entry];
  const child = spawn(
    process.execPath,
    [...argv, ...(options.args ?? ['run', '--config', options.configPath])],
    {
      cwd: repoPath('apps/agent'),
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  return new AgentProcess(child);
}
