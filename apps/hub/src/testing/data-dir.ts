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
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { migrate } from '../db/migrate.js';
import { openDatabase } from '../db/open.js';

const migrationsDir = fileURLToPath(new URL('../db/migrations', import.meta.url));

function migrationsHash(): string {
  const h = createHash('sha256');
  for (const f of readdirSync(migrationsDir)
    .filter((f) => f.endsWith('.sql'))
    .sort())
    h.update(f).update(readFileSync(join(migrationsDir, f)));
  return h.digest('hex').slice(0, 16);
}

let template: Promise<string> | undefined;

/**
 * PGlite's initdb takes seconds; a migrated data directory is made once (kept in the
 * temp dir, keyed by the migrations) and copied for each test hub.
 */
function templateDir(): Promise<string> {
  template ??= (async () => {
    const dir = join(tmpdir(), `serfbort-hub-template-${migrationsHash()}`);
    if (existsSync(join(dir, 'PG_VERSION'))) return dir;
    const building = mkdtempSync(join(tmpdir(), 'serfbort-hub-template-build-'));
    const db = await openDatabase({ dataDir: building });
    await migrate(db.db);
    await db.close();
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

/** A new, empty, already-migrated data directory; remove it when done. */
export async function freshDataDir(): Promise<string> {
  const source = await templateDir();
  const dir = mkdtempSync(join(tmpdir(), 'serfbort-hub-test-'));
  cpSync(source, dir, { recursive: true });
  return dir;
}
