import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type RunResult, repoRoot, run } from './processes.js';

const bundle = join(repoRoot, 'apps/cli/dist/serfbort.mjs');

export async function ensureCliBuilt(): Promise<void> {
  if (existsSync(bundle)) return;
  const r = await run('npm', ['run', 'build', '-w', '@serfbort/cli'], { timeoutMs: 300_000 });
  if (r.code !== 0) throw new Error(`CLI build failed: ${r.stderr.slice(-2000)}`);
}

/** The real `serfbort` CLI bundle, non-interactive (passphrase from the environment). */
export function serfbort(
  args: string[],
  options: { cwd: string; passphrase: string; env?: NodeJS.ProcessEnv },
): Promise<RunResult> {
  return run(process.execPath, [bundle, ...args], {
    cwd: options.cwd,
    env: {
      SERFBORT_PASSPHRASE: options.passphrase,
      NO_COLOR: '1',
      HOME: options.cwd,
      ...options.env,
    },
  });
}
