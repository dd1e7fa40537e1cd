import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';

export const RESULTS_DIR = fileURLToPath(new URL('../../results/', import.meta.url));

/** bench/results/<timestamp>.json (gitignored); returns the path written. */
export function writeResults(results: Record<string, unknown>, startedAt: Date): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
  const path = `${RESULTS_DIR}${stamp}.json`;
  const machine = {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model,
    memoryBytes: totalmem(),
    loadAverageAtEnd: loadavg(),
    node: process.version,
  };
  writeFileSync(path, `${JSON.stringify({ startedAt, machine, ...results }, null, 2)}\n`);
  return path;
}

/** Hub CPU profiles of one run: bench/results/<timestamp>-profiles/ */
export function profileDirFor(startedAt: Date): string {
  return `${RESULTS_DIR}${startedAt.toISOString().replace(/[:.]/g, '-')}-profiles`;
}
