import { cleanText, cleanVersionLine } from './clean-version.js';
import { runCommand } from './run-command.js';

export interface VersionReport {
  /**
   * the first non-empty line the version-report command printed, as clean text (no escape
   * or control characters, at most 256 characters, marked when cut), or null when it failed
   */
  version: string | null;
  at: number;
  error?: string;
}

export interface VersionCommand {
  argv: readonly string[];
  cwd: string;
  env: Record<string, string>;
  timeoutMs: number;
}

/** Runs an app's version-report command (no shell) and reads its answer. */
export async function reportVersion(command: VersionCommand): Promise<VersionReport> {
  const result = await runCommand({
    argv: command.argv,
    cwd: command.cwd,
    env: command.env,
    timeoutMs: command.timeoutMs,
    killGraceMs: 1000,
  });
  const at = Date.now();
  const fail = (error: string): VersionReport => ({
    version: null,
    at,
    error: cleanText(error, 500).text,
  });
  if (result.spawnError) return fail(`cannot start ${command.argv[0]}: ${result.spawnError}`);
  if (result.timedOut) return fail(`timed out after ${command.timeoutMs} ms`);
  if (result.exitCode !== 0)
    return fail(`exit ${result.exitCode ?? result.signal}: ${result.tail.at(-1) ?? ''}`.trim());
  const line = result.stdout
    .split('\n')
    .map((l) => cleanVersionLine(l).text)
    .find((l) => l.length > 0);
  if (line === undefined) return fail('printed nothing');
  return { version: line, at };
}
