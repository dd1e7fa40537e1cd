import { setTimeout as sleep } from 'node:timers/promises';
import { LIMITS } from '@serfbort/core';
import type { HealthCheckConfig } from '../config/load.js';
import { cut } from '../runner/line-splitter.js';
import type { RunResult } from '../runner/run-command.js';
import { runCommand } from '../runner/run-command.js';

export interface HealthGateOptions {
  check: HealthCheckConfig;
  cwd: string;
  env: Record<string, string>;
  /** agent shutdown: the running attempt's group is killed and no further attempt starts */
  signal: AbortSignal;
  /** each attempt's output and its verdict, prefixed `[health k/n]` */
  onLine(stream: 'stdout' | 'stderr', text: string): void;
  /** an attempt's process group, so a restarted agent can end one left behind */
  onSpawn?(pgid: number): void;
}

export type HealthVerdict =
  | { kind: 'passed'; attempt: number; attempts: number }
  | { kind: 'failed'; attempts: number; detail: string }
  | { kind: 'aborted' };

/** Waits `ms` unless the agent is shutting down; false when it is. */
async function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return false;
  if (ms <= 0) return true;
  try {
    await sleep(ms, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}

function verdictOf(result: RunResult, check: HealthCheckConfig): string | undefined {
  if (result.spawnError) return `cannot start ${check.command[0]}: ${result.spawnError}`;
  // a check that ran out of time failed, whatever it exited with once signalled
  if (result.timedOut) return `timed out after ${check.timeoutMs} ms, process group killed`;
  if (result.exitCode === 0) return undefined;
  return result.exitCode !== null ? `exit ${result.exitCode}` : `killed by ${result.signal}`;
}

/**
 * Runs the app's health check after a successful deploy command: up to 1 + retries
 * attempts, `interval` apart, each bounded by `timeout` (no shell, own process group).
 * The first passing attempt passes the gate; a failure carries the last attempt's output.
 */
export async function runHealthGate(options: HealthGateOptions): Promise<HealthVerdict> {
  const { check, signal } = options;
  const attempts = 1 + check.retries;
  if (!(await pause(check.startDelayMs, signal))) return { kind: 'aborted' };
  let detail = '';
  for (let attempt = 1; attempt <= attempts; attempt++) {
    if (attempt > 1 && !(await pause(check.intervalMs, signal))) return { kind: 'aborted' };
    const tag = `[health ${attempt}/${attempts}]`;
    const line = (stream: 'stdout' | 'stderr', text: string) =>
      options.onLine(stream, cut(`${tag} ${text}`, LIMITS.outputLineBytes));
    const result = await runCommand({
      argv: check.command,
      cwd: options.cwd,
      env: options.env,
      timeoutMs: check.timeoutMs,
      signal,
      killGraceMs: 1000,
      onLine: line,
      ...(options.onSpawn ? { onSpawn: options.onSpawn } : {}),
    });
    if (result.aborted) return { kind: 'aborted' };
    const failure = verdictOf(result, check);
    if (failure === undefined) {
      line('stdout', 'passed');
      return { kind: 'passed', attempt, attempts };
    }
    line('stderr', `failed: ${failure}`);
    detail = [
      `health check failed (attempt ${attempt}/${attempts}: ${failure})`,
      ...result.tail,
    ].join('\n');
    // a program that is not there will not appear by waiting
    if (result.spawnError) break;
  }
  return { kind: 'failed', attempts, detail };
}
