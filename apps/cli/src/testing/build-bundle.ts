import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const appDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** vitest global setup: the tests run what users run, the esbuild bundle. */
export default function setup(): void {
  execFileSync(process.execPath, [join(appDir, 'build.mjs')], { stdio: 'inherit' });
}
