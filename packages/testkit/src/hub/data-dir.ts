import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { migratedDataTemplate } from '../data-template.js';
import { HUB_BUNDLE, spawnHub } from './hub-process.js';

/** An embedded-database hub even when the shell exports a DATABASE_URL or Redis URL. */
export const EMBEDDED_HUB_ENV = { DATABASE_URL: '', SERFBORT_REDIS_URL: '' } as const;

/** build.mjs copies the migrations beside the bundle; the hub runs them at start. */
const migrationsDir = join(dirname(HUB_BUNDLE), 'migrations');

let template: Promise<string> | undefined;

/**
 * The hub bundle migrates the template. It runs with a fixed hub id, which it does not
 * store: every copy still makes its own.
 */
function templateDir(): Promise<string> {
  template ??= migratedDataTemplate('serfbort-hub-bundle-template', migrationsDir, async (dir) => {
    const hub = await spawnHub({
      ...EMBEDDED_HUB_ENV,
      SERFBORT_HUB_DATA: dir,
      SERFBORT_HUB_ID: 'template',
    });
    await hub.stop();
  });
  return template;
}

/** A new, empty, already-migrated hub data directory; remove it when done. */
export async function freshHubDataDir(): Promise<string> {
  const source = await templateDir();
  const dir = mkdtempSync(join(tmpdir(), 'serfbort-hub-test-'));
  cpSync(source, dir, { recursive: true });
  return dir;
}
