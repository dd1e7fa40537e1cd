import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { migratedDataTemplate } from '@serfbort/testkit';
import { migrate } from '../db/migrate.js';
import { openDatabase } from '../db/open.js';

const migrationsDir = fileURLToPath(new URL('../db/migrations', import.meta.url));

let template: Promise<string> | undefined;

/** A new, empty, already-migrated data directory (a copy of one template); remove it when done. */
export async function freshDataDir(): Promise<string> {
  template ??= migratedDataTemplate('serfbort-hub-template', migrationsDir, async (dir) => {
    const db = await openDatabase({ dataDir: dir });
    await migrate(db.db);
    await db.close();
  });
  const dir = mkdtempSync(join(tmpdir(), 'serfbort-hub-test-'));
  cpSync(await template, dir, { recursive: true });
  return dir;
}
