import type { ChildProcess, ForkOptions, SpawnOptions } from 'node:child_process';
import { fork, spawn } from 'node:child_process';

/**
 * Every process the harness starts is registered here, so that an error, a
 * Ctrl-C or a normal exit kills all of them (by pid, never by name).
 */
const live = new Map<ChildProcess, { group: boolean }>();

function register(child: ChildProcess, group: boolean): ChildProcess {
  live.set(child, { group });
  child.once('exit', () => live.delete(child));
  return child;
}

/** A TypeScript worker module, run with the same tsx loader as this process. */
export function forkWorker(modulePath: string, args: string[], options: ForkOptions = {}) {
  return register(
    fork(modulePath, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], ...options }),
    false,
  );
}

/** A foreign process in its own process group (so its own children die with it). */
export function spawnTracked(command: string, args: string[], options: SpawnOptions = {}) {
  const detached = options.detached ?? true;
  return register(spawn(command, args, { ...options, detached }), detached);
}

export function killChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): void {
  const entry = live.get(child);
  if (!child.pid || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(entry?.group ? -child.pid : child.pid, signal);
  } catch {
    // already gone
  }
}

/** Resolves when the child has exited; kills it hard if it lingers past `graceMs`. */
export async function stopChild(child: ChildProcess, graceMs = 3000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  killChild(child, 'SIGTERM');
  const timer = setTimeout(() => killChild(child, 'SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

export function killAllChildren(): void {
  for (const child of live.keys()) killChild(child, 'SIGKILL');
}

export async function stopAllChildren(): Promise<void> {
  await Promise.all([...live.keys()].map((c) => stopChild(c, 2000)));
}

let installed = false;
/** Kill everything we started on exit, Ctrl-C, SIGTERM and crashes. */
export function installCleanup(): void {
  if (installed) return;
  installed = true;
  process.on('exit', killAllChildren);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
    process.on(signal, () => {
      console.error(`\nbench: ${signal}, stopping ${live.size} processes`);
      killAllChildren();
      process.exit(130);
    });
}

/** In a forked worker: die with the parent instead of lingering as an orphan. */
export function exitWithParent(): void {
  process.on('disconnect', () => process.exit(0));
}
