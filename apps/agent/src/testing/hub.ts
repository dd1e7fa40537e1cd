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
import { fileURLToPath } from 'node:url';
import type { RunningHub } from '@serfbort/hub';
import { startHub } from '@serfbort/hub';

export interface TestHub extends RunningHub {
  dataDir: string;
  /** close, then delete the data directory */
  dispose(): Promise<void>;
}

/** Changes to the hub's migrations make a new template; nothing else about the hub matters here. */
function migrationsKey(): string {
  const h = createHash('sha256');
  try {
    const dir = join(
      dirname(fileURLToPath(import.meta.resolve('@serfbort/hub'))),
      'db',
      'migrations',
    );
    for (const f of readdirSync(dir).sort())
      if (f.endsWith('.sql')) h.update(f).update(readFileSync(join(dir, f)));
  } catch {
    h.update(String(Date.now()));
  }
  return h.digest('hex').slice(0, 16);
}

let template: Promise<string> | undefined;

/**
 * The embedded database's first start (initdb) takes seconds; one started-and-closed
 * hub data directory is kept in the temp dir and copied for every test hub.
 */
function templateDir(): Promise<string> {
  template ??= (async () => {
    const dir = join(tmpdir(), `serfbort-agent-hub-template-${migrationsKey()}`);
    if (existsSync(join(dir, 'PG_VERSION'))) return dir;
    const building = mkdtempSync(join(tmpdir(), 'serfbort-agent-hub-build-'));
    const hub = await startHub({
      port: 0,
      host: '127.0.0.1',
      dataDir: building,
      logLevel: 'silent',
    });
    await hub.close();
    try {
      renameSync(building, dir);
    } catch {
      rmSync(building, { recursive: true, force: true }); // another worker made it first
    }
    return dir;
  })();
  return template;
}

/** A real hub on 127.0.0.1; pass `dataDir` and `port` to restart one in place. */
export async function startTestHub(
  options: { dataDir?: string; port?: number } = {},
): Promise<TestHub> {
  let dataDir = options.dataDir;
  if (!dataDir) {
    const source = await templateDir();
    dataDir = mkdtempSync(join(tmpdir(), 'serfbort-agent-hub-'));
    cpSync(source, dataDir, { recursive: true });
  }
  const hub = await startHub({
    port: options.port ?? 0,
    host: '127.0.0.1',
    dataDir,
    logLevel: 'silent',
  });
  const dispose = async () => {
    await hub.close().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  };
  return Object.assign(hub, { dataDir, dispose });
}
