import { spawn } from 'node:child_process';
import { LIMITS } from '@serfbort/core';
import { trackGroup, untrackGroup } from './child-groups.js';
import { LineSplitter } from './line-splitter.js';

export interface RunOptions {
  argv: readonly string[];
  cwd: string;
  env: Record<string, string>;
  timeoutMs: number;
  /** every output line, already cut to LIMITS.outputLineBytes */
  onLine?: (stream: 'stdout' | 'stderr', text: string) => void;
  /** the process group id, as soon as it exists (journaled so a restart can end it) */
  onSpawn?: (pgid: number) => void;
  /** aborting ends the process group like a timeout does (agent shutdown) */
  signal?: AbortSignal;
  /** ms between SIGTERM and SIGKILL to the group */
  killGraceMs?: number;
  /** bytes of stdout kept for the caller (version reports) */
  captureBytes?: number;
}

export interface RunResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  aborted: boolean;
  /** errno code when the program could not start (ENOENT, EACCES) */
  spawnError?: string;
  stdout: string;
  /** the last lines of output, for a receipt's detail */
  tail: string[];
}

function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: the group is gone already
  }
}

/**
 * Runs argv without a shell, in its own process group (detached), so a timeout ends
 * the whole tree: the script and anything it started (`sleep`, a stuck `git`).
 */
export function runCommand(options: RunOptions): Promise<RunResult> {
  const { argv, killGraceMs = 3000, captureBytes = 64 * 1024 } = options;
  return new Promise((resolvePromise) => {
    let stdout = '';
    const tail: string[] = [];
    let timedOut = false;
    let aborted = false;
    let settled = false;
    const child = spawn(argv[0]!, argv.slice(1), {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      shell: false,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const pgid = child.pid;
    const timers: NodeJS.Timeout[] = [];
    const stop = () => {
      if (pgid === undefined) return;
      killGroup(pgid, 'SIGTERM');
      timers.push(setTimeout(() => killGroup(pgid, 'SIGKILL'), killGraceMs));
    };
    const onAbort = () => {
      aborted = true;
      stop();
    };
    const finish = (result: Omit<RunResult, 'stdout' | 'tail' | 'timedOut' | 'aborted'>) => {
      if (settled) return;
      settled = true;
      for (const t of timers) clearTimeout(t);
      // a killed group gets its SIGKILL now: nothing of it may outlive the deploy
      if ((timedOut || aborted) && pgid !== undefined) killGroup(pgid, 'SIGKILL');
      if (pgid !== undefined) untrackGroup(pgid);
      options.signal?.removeEventListener('abort', onAbort);
      resolvePromise({ ...result, stdout, tail, timedOut, aborted });
    };
    const lines = (stream: 'stdout' | 'stderr') =>
      new LineSplitter(LIMITS.outputLineBytes, (text) => {
        if (stream === 'stdout' && stdout.length < captureBytes) stdout += `${text}\n`;
        tail.push(text);
        if (tail.length > 20) tail.shift();
        options.onLine?.(stream, text);
      });
    const out = lines('stdout');
    const err = lines('stderr');
    child.stdout.on('data', (c: Buffer) => out.write(c));
    child.stderr.on('data', (c: Buffer) => err.write(c));
    child.on('error', (e: NodeJS.ErrnoException) =>
      finish({ exitCode: null, signal: null, spawnError: e.code ?? 'SPAWN_FAILED' }),
    );
    child.on('exit', (code, signal) => {
      clearTimeout(deadline);
      // wait briefly for the pipes to drain; a daemon the script left behind may hold them open
      const drained = new Promise<void>((r) => child.once('close', () => r()));
      const grace = new Promise<void>((r) => timers.push(setTimeout(r, 1000)));
      void Promise.race([drained, grace]).then(() => {
        out.end();
        err.end();
        child.stdout.destroy();
        child.stderr.destroy();
        finish({ exitCode: code, signal });
      });
    });
    if (pgid !== undefined) {
      trackGroup(pgid);
      options.onSpawn?.(pgid);
    }
    const deadline = setTimeout(() => {
      timedOut = true;
      stop();
    }, options.timeoutMs);
    timers.push(deadline);
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });
  });
}
