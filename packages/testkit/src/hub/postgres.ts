import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The PostgreSQL the tests use; `.ci/run` starts it when it is not running. */
export const TEST_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A new database of our own (serfbort_test_<random>), or undefined when PostgreSQL is unreachable. */
export async function createTestDatabase(
  adminUrl = TEST_POSTGRES_URL,
): Promise<TestDatabase | undefined> {
  const admin = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3_000 });
  try {
    await admin.connect();
  } catch {
    return undefined;
  }
  const name = `serfbort_test_${randomBytes(6).toString('hex')}`;
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}
