import { rmSync } from 'node:fs';
import type { Envelope } from '@serfbort/core';
import { EMBEDDED_HUB_ENV, freshHubDataDir } from './data-dir.js';
import { spawnHub } from './hub-process.js';
import { publishTrust } from './publish-trust.js';

export interface TestHub {
  url: string;
  port: number;
  dataDir: string;
  /** SIGTERM: the hub shuts down as it would on a host */
  close(): Promise<void>;
  /** close, then delete the data directory */
  dispose(): Promise<void>;
}

export interface TestHubOptions {
  /** restart one in place: its data directory and port */
  dataDir?: string;
  port?: number;
  /** more of the hub's environment (SERFBORT_VIEWER_TOKEN, ...) */
  env?: Record<string, string>;
  /** trust documents published before the hub is returned */
  trust?: { root: { envelope: Envelope }; keyring?: { envelope: Envelope } };
}

/**
 * A real hub for tests outside the hub: its bundle as its own process on 127.0.0.1,
 * spoken to only over the wire, with a fresh embedded database unless given one.
 */
export async function startTestHub(options: TestHubOptions = {}): Promise<TestHub> {
  const dataDir = options.dataDir ?? (await freshHubDataDir());
  const hub = await spawnHub({
    ...EMBEDDED_HUB_ENV,
    SERFBORT_HUB_HOST: '127.0.0.1',
    SERFBORT_HUB_PORT: String(options.port ?? 0),
    SERFBORT_HUB_DATA: dataDir,
    ...options.env,
  });
  const close = () => hub.stop();
  if (options.trust)
    await publishTrust(hub.url, options.trust).catch(async (e: unknown) => {
      await close();
      throw e;
    });
  return {
    url: hub.url,
    port: Number(new URL(hub.url).port),
    dataDir,
    close,
    async dispose() {
      await close().catch(() => undefined);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
