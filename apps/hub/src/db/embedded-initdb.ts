import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { embeddedStartParams } from './pglite-options.js';

const INITDB_TIMEOUT_MS = 120_000;

// Runs in the child: PGlite's own first open (initdb), then a clean close.
const CHILD = `const [url, dir, params] = process.argv.slice(1);
import(url)
  .then(async ({ PGlite }) => {
    const db = await PGlite.create(dir, { startParams: [...PGlite.defaultStartParams, ...JSON.parse(params)] });
    await db.close();
  })
  .catch((err) => { console.error(String(err?.message ?? err)); process.exit(1); });`;

/**
 * PGlite creates a new data directory by running initdb in a second wasm instance
 * inside the same process; V8 keeps those ~450 MB until a garbage collection that an
 * idle hub may never need, so a hub's first start used to sit at ~600 MB. A short-lived
 * child process runs initdb instead and gives all of it back when it exits.
 */
export async function initEmbeddedDataDir(dataDir: string): Promise<void> {
  if (existsSync(join(dataDir, 'PG_VERSION'))) return;
  const pglite = pathToFileURL(createRequire(import.meta.url).resolve('@electric-sql/pglite')).href;
  try {
    await promisify(execFile)(
      process.execPath,
      ['--liftoff-only', '-e', CHILD, pglite, dataDir, JSON.stringify(embeddedStartParams())],
      { timeout: INITDB_TIMEOUT_MS, maxBuffer: 1 << 20 },
    );
  } catch (err) {
    const detail = (err as { stderr?: string }).stderr?.trim() || (err as Error).message;
    throw new Error(`could not create the embedded database in ${dataDir}: ${detail}`);
  }
}
