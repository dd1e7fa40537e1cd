import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUNDLES } from '../bundles.js';

/** The CLI bundle (`npm run build -w @serfbort/cli`). */
export const BUNDLE = BUNDLES.cli;

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON (for --json runs) */
  json<T = Record<string, unknown>>(): T;
}

/** A scratch home for one test file: HOME points here, so nothing touches the real ~/.config. */
export function scratchDir(prefix = 'serfbort-cli-'): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Runs the bundled CLI as a child process, the way people and CI do. The environment is
 * built from scratch (no SERFBORT_* leaks in from the developer's shell); scrypt is cheap
 * through the testing-only SERFBORT_SCRYPT_LOG_N.
 */
export function runCli(
  args: string[],
  options: { cwd: string; env?: Record<string, string | undefined> },
): Promise<CliRun> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: options.cwd,
    NO_COLOR: '1',
    SERFBORT_SCRYPT_LOG_N: '10',
  };
  for (const [k, v] of Object.entries(options.env ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BUNDLE, ...args], {
      cwd: options.cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({
        code: code ?? -1,
        stdout,
        stderr,
        json<T>() {
          try {
            return JSON.parse(stdout) as T;
          } catch {
            throw new Error(`stdout is not JSON:\n${stdout}\nstderr:\n${stderr}`);
          }
        },
      }),
    );
  });
}

/** The error code the CLI printed on stderr: `error [CODE] …`. */
export function errorCode(run: CliRun): string | undefined {
  return /error \[([A-Z_]+)\]/.exec(run.stderr)?.[1];
}
