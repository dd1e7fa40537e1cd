import { rmSync } from 'node:fs';
import type { RunningHub } from '@serfbort/hub';
import { startHub } from '@serfbort/hub';
import { freshDataDir } from '@serfbort/hub/testing';

export interface TestHub extends RunningHub {
  dataDir: string;
  /** close, then delete the data directory */
  dispose(): Promise<void>;
}

/** A real hub on 127.0.0.1; pass `dataDir` and `port` to restart one in place. */
export async function startTestHub(
  options: { dataDir?: string; port?: number } = {},
): Promise<TestHub> {
  // a migrated template copied per hub: PGlite's initdb takes seconds
  const dataDir = options.dataDir ?? (await freshDataDir());
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
