import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The migrations a template was made with: a template from other migrations is never reused. */
function migrationsHash(migrationsDir: string): string {
  if (!existsSync(migrationsDir))
    throw new Error(`build the hub first: ${migrationsDir} is missing`);
  const h = createHash('sha256');
  for (const f of readdirSync(migrationsDir)
    .filter((f) => f.endsWith('.sql'))
    .sort())
    h.update(f).update(readFileSync(join(migrationsDir, f)));
  return h.digest('hex').slice(0, 16);
}

/**
 * PGlite's initdb takes seconds (5–15 s on a busy machine), so an empty, migrated data
 * directory is made once by `migrate`, kept in the temp dir under `name` and the
 * migrations' hash, and copied for every hub. Workers may race to make it: one rename wins.
 */
export async function migratedDataTemplate(
  name: string,
  migrationsDir: string,
  migrate: (dataDir: string) => Promise<void>,
): Promise<string> {
  const dir = join(tmpdir(), `${name}-${migrationsHash(migrationsDir)}`);
  if (existsSync(join(dir, 'PG_VERSION'))) return dir;
  const building = mkdtempSync(join(tmpdir(), `${name}-build-`));
  await migrate(building);
  try {
    renameSync(building, dir);
  } catch {
    // another worker won the race; theirs is as good as ours
    rmSync(building, { recursive: true, force: true });
  }
  return dir;
}
