import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { lockDataDir } from './dir-lock.js';
import { initEmbeddedDataDir } from './embedded-initdb.js';
import { pgliteOptions, useBaselineWasmCompiler } from './pglite-options.js';
import { schema } from './schema.js';

export type Schema = typeof schema;
/** The one query surface both drivers share: every query is written once against it. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  close(): Promise<void>;
}

export type DatabaseTarget = { dataDir: string } | { databaseUrl: string };

/** Opens PGlite in the data directory (one process per directory) or a PostgreSQL pool. */
export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  if ('databaseUrl' in target) {
    // loaded only when used: an embedded hub does not pay for the PostgreSQL driver
    const [{ default: pg }, { drizzle: drizzleNodePg }] = await Promise.all([
      import('pg'),
      import('drizzle-orm/node-postgres'),
    ]);
    const pool = new pg.Pool({ connectionString: target.databaseUrl, max: 10 });
    // a dropped idle connection must not crash the hub; the pool replaces it
    pool.on('error', () => {});
    await pool.query('select 1');
    const db = drizzleNodePg(pool, { schema }) as unknown as Db;
    return { db, kind: 'postgres', close: () => pool.end() };
  }
  mkdirSync(target.dataDir, { recursive: true, mode: 0o700 });
  const unlock = lockDataDir(target.dataDir);
  try {
    await initEmbeddedDataDir(target.dataDir);
    useBaselineWasmCompiler();
    const client = await PGlite.create(target.dataDir, pgliteOptions());
    const db = drizzlePglite(client, { schema }) as unknown as Db;
    return {
      db,
      kind: 'pglite',
      close: async () => {
        await client.close();
        unlock();
      },
    };
  } catch (err) {
    unlock();
    throw err;
  }
}
