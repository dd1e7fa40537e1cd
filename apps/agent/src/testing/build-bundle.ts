import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** vitest global setup: the tests spawn the real bundle, so build it first (about a second). */
export default function setup(): void {
  execFileSync(process.execPath, [fileURLToPath(new URL('../../build.mjs', import.meta.url))], {
    stdio: 'ignore',
  });
}
