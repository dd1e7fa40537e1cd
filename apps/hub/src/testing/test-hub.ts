import { rmSync } from 'node:fs';
import type { Envelope } from '@serfbort/core';
import { publishTrust } from '@serfbort/testkit/hub';
import type { Logger } from 'pino';
import type { HubConfigInput } from '../config/config.js';
import type { RunningHub } from '../hub.js';
import { startHub } from '../hub.js';
import { freshDataDir } from './data-dir.js';

export interface TestHub extends RunningHub {
  dataDir: string | undefined;
  /** closes the hub and removes its data directory */
  dispose(): Promise<void>;
}

/**
 * A real hub on 127.0.0.1 port 0 with a fresh embedded database (or the given one).
 * Trust documents passed in are published before it is returned.
 */
export async function startTestHub(
  options: Partial<HubConfigInput> & {
    trust?: { root: { envelope: Envelope }; keyring?: { envelope: Envelope } };
    logger?: Logger;
  } = {},
): Promise<TestHub> {
  const { trust, logger, ...config } = options;
  const dataDir = config.databaseUrl || config.dataDir ? config.dataDir : await freshDataDir();
  const hub = await startHub(
    {
      port: 0,
      logLevel: 'silent',
      ...config,
      ...(dataDir ? { dataDir } : {}),
    },
    logger ? { logger } : {},
  );
  if (trust) await publishTrust(hub.url, trust);
  return {
    ...hub,
    dataDir,
    async dispose() {
      await hub.close();
      if (dataDir && !options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
