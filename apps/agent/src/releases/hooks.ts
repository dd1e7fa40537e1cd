import type { RunResult } from '../runner/run-command.js';
import { runCommand } from '../runner/run-command.js';

export interface HookRun {
  which: 'before' | 'after';
  argv: readonly string[];
  /** the release directory: hooks run inside it */
  cwd: string;
  env: Record<string, string>;
  timeoutMs: number;
  signal: AbortSignal;
  onLine(stream: 'stdout' | 'stderr', text: string): void;
  /** the hook's process group and program, journaled so a restarted agent can end it */
  onSpawn?(pgid: number, program: string): void;
}

/** Why a hook did not pass, or undefined when it did. */
export function hookFailure(
  h: Pick<HookRun, 'which' | 'argv' | 'timeoutMs'>,
  r: RunResult,
): string | undefined {
  if (r.spawnError) return `${h.which} hook: cannot start ${h.argv[0]}: ${r.spawnError}`;
  if (r.timedOut) return `${h.which} hook timed out after ${h.timeoutMs} ms, process group killed`;
  if (r.exitCode === 0) return undefined;
  return `${h.which} hook: ${r.exitCode !== null ? `exit ${r.exitCode}` : `killed by ${r.signal}`}`;
}

/** A hook: no shell, its own process group, killed with its group at its timeout. */
export function runHook(h: HookRun): Promise<RunResult> {
  return runCommand({
    argv: h.argv,
    cwd: h.cwd,
    env: h.env,
    timeoutMs: h.timeoutMs,
    signal: h.signal,
    killGraceMs: 1000,
    onLine: (stream, text) => h.onLine(stream, `[${h.which}] ${text}`),
    ...(h.onSpawn ? { onSpawn: (pgid: number) => h.onSpawn?.(pgid, h.argv[0]!) } : {}),
  });
}
