import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { migratedDataTemplate } from '@serfbort/testkit';
import { freePort } from '../common/free-port.js';
import { HUB_BUNDLE, startHubProcess } from './hub-process.js';

/** The hub bundle itself migrates the template every hub the bench starts is copied from. */
function templateDir(): Promise<string> {
  const migrations = join(HUB_BUNDLE, '..', 'migrations');
  return migratedDataTemplate('serfbort-bench-hub-template', migrations, async (dir) => {
    const hub = await startHubProcess({ port: await freePort(), dataDir: dir, hubId: 'bench-hub' });
    await hub.stop();
  });
}

/** A new hub data directory under `parent`, already migrated. */
export async function freshHubDataDir(dest: string): Promise<string> {
  cpSync(await templateDir(), dest, { recursive: true });
  return dest;
}
