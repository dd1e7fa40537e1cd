import type { KnownHost, Roster } from '@serfbort/client';
import {
  disappeared,
  learn,
  noteTrust,
  rosterHosts,
  serializeRoster,
  stillVouched,
} from '@serfbort/client';
import type { AgentKeyRecord } from '@serfbort/core';
import { fromBase64 } from '@serfbort/core';
import { nodeVerifier } from '@serfbort/node';
import type { CliConfig } from '../config/config.js';
import { loadRoster, saveRoster } from './roster-store.js';
import type { VerifiedTrust } from './verified-trust.js';

/** What this client knows of the hub's fleet, beyond what the hub says today. */
export interface FleetMemory {
  /** the roster as the current keyring still backs it (see stillVouched), with every approval that verifies now */
  roster: Roster;
  /** rostered hosts whose approval the hub no longer presents */
  disappeared: string[];
  /** every rostered host, with the labels an operator signed */
  known: KnownHost[];
  /** host → key, for the records whose operator evidence verified now */
  agentKeys: Map<string, Uint8Array>;
}

/**
 * Verifies the hub's agent-key records against the client's verified keyring, and keeps
 * the verified ones in the roster. Only a pinned root may add to the roster: trust the
 * hub chose itself must not teach the client who belongs to the fleet.
 */
export function rememberFleet(
  config: CliConfig,
  hubId: string,
  records: readonly AgentKeyRecord[],
  trust: VerifiedTrust,
): FleetMemory {
  const held = loadRoster(config, hubId);
  const learned = learn(held, records, trust.keyring, nodeVerifier);
  const roster = trust.pinned
    ? noteTrust(learned.roster, {
        root: trust.root.root.version,
        keyring: trust.keyring.keyring.version,
      })
    : held;
  if (trust.pinned && serializeRoster(roster) !== serializeRoster(held)) saveRoster(config, roster);
  const agentKeys = new Map(
    [...learned.presented].map(([host, e]) => [host, fromBase64(e.publicKey)]),
  );
  const vouched = stillVouched(roster, trust.keyring);
  // roster ∪ what verifies now: without a pinned root nothing is stored, yet the approvals
  // that verify today still name who should answer
  const expected = {
    ...vouched,
    hosts: { ...Object.fromEntries(learned.presented), ...vouched.hosts },
  };
  return {
    roster: expected,
    disappeared: disappeared(vouched, learned.presented),
    known: rosterHosts(expected),
    agentKeys,
  };
}
