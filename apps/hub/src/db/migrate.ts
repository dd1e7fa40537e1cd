import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import type { Db } from './open.js';

/**
 * The SQL files beside this module in the source tree, or beside the bundle
 * (build.mjs copies them to dist/migrations).
 */
function migrationsFolder(): string {
  return fileURLToPath(new URL('./migrations', import.meta.url));
}

/** Arbitrary constant: one advisory lock so hubs sharing PostgreSQL migrate one at a time. */
const MIGRATION_LOCK = 7_700_001;

/** Applies every migration not yet recorded, in order, in one transaction. */
export async function migrate(db: Db, folder = migrationsFolder()): Promise<number> {
  const migrations = readMigrationFiles({ migrationsFolder: folder });
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${MIGRATION_LOCK})`);
    await tx.execute(
      sql`create table if not exists serfbort_migrations (hash text primary key, created_at bigint not null)`,
    );
    // both drivers answer with { rows }
    const done = (await tx.execute(sql`select hash from serfbort_migrations`)) as unknown as {
      rows: { hash: string }[];
    };
    const applied = new Set(done.rows.map((r) => r.hash));
    let count = 0;
    for (const m of migrations) {
      if (applied.has(m.hash)) continue;
      for (const statement of m.sql) {
        if (statement.trim()) await tx.execute(sql.raw(statement));
      }
      await tx.execute(
        sql`insert into serfbort_migrations (hash, created_at) values (${m.hash}, ${m.folderMillis})`,
      );
      count++;
    }
    return count;
  });
}
