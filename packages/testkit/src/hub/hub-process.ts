import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createConnection } from 'node:net';
import { createInterface } from 'node:readline';
import { BUNDLES } from '../bundles.js';

/** The built bundle (`npm run build -w @serfbort/hub`). */
export const HUB_BUNDLE = BUNDLES.hub;

export interface HubProcess {
  child: ChildProcess;
  url: string;
  node: string;
  /** every stdout line (JSON logs) */
  lines: string[];
  /** the last few kB of stderr */
  stderr(): string;
  /** SIGTERM and wait; SIGKILL after 15 s */
  stop(): Promise<void>;
  /** SIGKILL and wait */
  kill(): Promise<void>;
}

/** Starts `serfbort-hub` in its own process with the given environment; resolves once it listens. */
export async function spawnHub(
  env: Record<string, string>,
  timeoutMs = 60_000,
): Promise<HubProcess> {
  if (!existsSync(HUB_BUNDLE)) throw new Error(`build the hub first: ${HUB_BUNDLE} is missing`);
  const child = spawn(process.execPath, [HUB_BUNDLE], {
    env: { ...process.env, SERFBORT_HUB_PORT: '0', SERFBORT_LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4_000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const listening = await new Promise<{ url: string; node: string }>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`hub did not listen within ${timeoutMs} ms: ${stderr}`));
    }, timeoutMs);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      lines.push(line);
      if (!line.includes('"listening"')) return;
      clearTimeout(timer);
      resolve(JSON.parse(line) as { url: string; node: string });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`hub exited (${code}) before listening: ${stderr}`));
    });
  });
  const wait = async (signal: NodeJS.Signals, graceMs: number) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  };
  return {
    child,
    url: listening.url,
    node: listening.node,
    lines,
    stderr: () => stderr,
    stop: () => wait('SIGTERM', 15_000),
    kill: () => wait('SIGKILL', 5_000),
  };
}

/** A TCP port accepts connections (used to skip tests when Redis or PostgreSQL is absent). */
export function reachable(host: string, port: number, timeoutMs = 2_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}
