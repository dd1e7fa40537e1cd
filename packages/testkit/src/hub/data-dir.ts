import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { HUB_BUNDLE, spawnHub } from './hub-process.js';

/** An embedded-database hub even when the shell exports a DATABASE_URL or Redis URL. */
export const EMBEDDED_HUB_ENV = { DATABASE_URL: '', SERFBORT_REDIS_URL: '' } as const;

/** build.mjs copies the migrations beside the bundle; the hub runs them at start. */
const migrationsDir = join(dirname(HUB_BUNDLE), 'migrations');

function migrationsHash(): string {
  if (!existsSync(migrationsDir))
    throw new Error(`build the hub first: ${migrationsDir} is missing`);
  const h = createHash('sha256');
  for (const f of readdirSync(migrationsDir)
    .filter((f) => f.endsWith('.sql'))
    .sort())
    h.update(f).update(readFileSync(join(migrationsDir, f)));
  return h.digest('hex').slice(0, 16);
}

let template: Promise<string> | undefined;

/**
 * PGlite's initdb takes seconds, so the hub bundle migrates one directory (kept in the
 * temp dir, keyed by the migrations) and each test hub gets a copy. The template hub
 * runs with a fixed hub id, which it does not store: every copy still makes its own.
 */
function templateDir(): Promise<string> {
  template ??= (async () => {
    const dir = join(tmpdir(), `serfbort-hub-bundle-template-${migrationsHash()}`);
    if (existsSync(join(dir, 'PG_VERSION'))) return dir;
    const building = mkdtempSync(join(tmpdir(), 'serfbort-hub-template-build-'));
    const hub = await spawnHub({
      ...EMBEDDED_HUB_ENV,
      SERFBORT_HUB_DATA: building,
      SERFBORT_HUB_ID: 'template',
    });
    await hub.stop();
    try {
      renameSync(building, dir);
    } catch {
      // another worker won the race; theirs is as good as ours
      rmSync(building, { recursive: true, force: true });
    }
    return dir;
  })();
  return template;
}

/** A new, empty, already-migrated hub data directory; remove it when done. */
export async function freshHubDataDir(): Promise<string> {
  const source = await templateDir();
  const dir = mkdtempSync(join(tmpdir(), 'serfbort-hub-test-'));
  cpSync(source, dir, { recursive: true });
  return dir;
}
