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
import { freePort } from '../common/free-port.js';
import { HUB_BUNDLE, startHubProcess } from './hub-process.js';

function migrationsHash(): string {
  const dir = join(HUB_BUNDLE, '..', 'migrations');
  const h = createHash('sha256');
  if (existsSync(dir))
    for (const f of readdirSync(dir)
      .filter((f) => f.endsWith('.sql'))
      .sort())
      h.update(f).update(readFileSync(join(dir, f)));
  return h.digest('hex').slice(0, 16);
}

/**
 * PGlite's first open runs initdb (5–15 s on a busy machine). A migrated, empty
 * data directory is made once by the hub bundle itself, kept in the temp dir keyed
 * by the migrations, and copied for every hub the bench starts.
 */
async function templateDir(): Promise<string> {
  const dir = join(tmpdir(), `serfbort-bench-hub-template-${migrationsHash()}`);
  if (existsSync(join(dir, 'PG_VERSION'))) return dir;
  const building = mkdtempSync(join(tmpdir(), 'serfbort-bench-hub-template-build-'));
  const hub = await startHubProcess({
    port: await freePort(),
    dataDir: building,
    hubId: 'bench-hub',
  });
  await hub.stop();
  try {
    renameSync(building, dir);
  } catch {
    rmSync(building, { recursive: true, force: true });
  }
  return dir;
}

/** A new hub data directory under `parent`, already migrated. */
export async function freshHubDataDir(dest: string): Promise<string> {
  cpSync(await templateDir(), dest, { recursive: true });
  return dest;
}
