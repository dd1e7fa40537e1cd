import type { FleetMemory } from '@serfbort/client';
import { recallFleet } from '@serfbort/client';
import type { AgentKeyRecord } from '@serfbort/core';
import { nodeVerifier } from '@serfbort/node';
import type { CliConfig } from '../config/config.js';
import { loadRoster, saveRoster } from './roster-store.js';
import type { VerifiedTrust } from './verified-trust.js';

/**
 * The client package's roster rules (recallFleet) over the roster file of this hub:
 * verified approvals are remembered, and stored only with a pinned root.
 */
export function rememberFleet(
  config: CliConfig,
  hubId: string,
  records: readonly AgentKeyRecord[],
  trust: VerifiedTrust,
): FleetMemory {
  const { memory, store } = recallFleet(
    loadRoster(config, hubId),
    records,
    {
      keyring: trust.keyring,
      seen: { root: trust.root.root.version, keyring: trust.keyring.keyring.version },
      pinned: trust.pinned,
    },
    nodeVerifier,
  );
  if (store) saveRoster(config, store);
  return memory;
}
