import type {
  AgentKeyRecord,
  HostIdentity,
  Target,
  VerifiedKeyring,
  Verifier,
} from '@serfbort/core';
import { fromBase64 } from '@serfbort/core';
import type { KnownHost } from '../check/judge-check.js';
import type { Roster, TrustSeen } from './roster.js';
import { disappeared, learn, noteTrust, rosteredFor, rosterHosts, stillVouched } from './roster.js';
import { serializeRoster } from './roster-file.js';

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

export interface Recalled {
  memory: FleetMemory;
  /** the roster to store, or undefined when nothing changed or nothing may be stored */
  store: Roster | undefined;
}

/**
 * Verifies the hub's agent-key records against the client's verified keyring and merges
 * the verified ones into the stored roster; the storage (a file, IndexedDB) is the
 * caller's. Only a pinned root may add to the roster: trust the hub chose itself must
 * not teach the client who belongs to the fleet.
 */
export function recallFleet(
  held: Roster,
  records: readonly AgentKeyRecord[],
  trust: { keyring: VerifiedKeyring; seen: TrustSeen; pinned: boolean },
  verifier: Verifier,
): Recalled {
  const learned = learn(held, records, trust.keyring, verifier);
  const roster = trust.pinned ? noteTrust(learned.roster, trust.seen) : held;
  const store =
    trust.pinned && serializeRoster(roster) !== serializeRoster(held) ? roster : undefined;
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
    memory: {
      roster: expected,
      disappeared: disappeared(vouched, learned.presented),
      known: rosterHosts(expected),
      agentKeys,
    },
    store,
  };
}

/**
 * The rostered hosts with the labels an operator signed for them: what a scoped signer
 * is judged against (verifyProposal), never the labels the hub reports.
 */
export function trustedIdentities(fleet: FleetMemory): HostIdentity[] {
  return fleet.known.map((h) => ({ name: h.name, labels: h.labels ?? {} }));
}

/** Rostered hosts a target covers, and those of them whose approval the hub dropped. */
export function rosteredHosts(
  fleet: FleetMemory,
  target: Target | undefined,
): { covered: string[]; disappeared: string[] } {
  const covered = rosteredFor(fleet.roster, target);
  return { covered, disappeared: fleet.disappeared.filter((h) => covered.includes(h)) };
}

/**
 * What the hub left out of an answer about `target`: rostered hosts it covers that the
 * hub did not report (withheld), and those whose approval it no longer presents. A host
 * whose approval vanished is named once, under disappeared.
 */
export function rosterGaps(
  fleet: FleetMemory,
  target: Target | undefined,
  reported: { has(host: string): boolean },
): { withheld: string[]; disappeared: string[] } {
  const { covered, disappeared: gone } = rosteredHosts(fleet, target);
  return {
    withheld: covered.filter((h) => !reported.has(h) && !gone.includes(h)),
    disappeared: gone,
  };
}
