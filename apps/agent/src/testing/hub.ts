import type { RunningHub } from '@serfbort/hub';
import { startHub } from '@serfbort/hub';
import { freshDataDir } from '@serfbort/hub/testing';

export interface TestHub extends RunningHub {
  dataDir: string;
}

/** A real hub on 127.0.0.1; pass `dataDir` and `port` to restart one in place. */
export async function startTestHub(
  options: { dataDir?: string; port?: number } = {},
): Promise<TestHub> {
  const dataDir = options.dataDir ?? (await freshDataDir());
  const hub = await startHub({
    port: options.port ?? 0,
    host: '127.0.0.1',
    dataDir,
    logLevel: 'silent',
  });
  return Object.assign(hub, { dataDir });
}
