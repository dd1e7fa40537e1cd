import type { AgentKeyRecord, Target, VerifiedKeyring, Verifier } from '@serfbort/core';
import { matchesSelector, parseSelector } from '@serfbort/core';
import type { KnownHost } from '../check/judge-check.js';
import type { RosterEntry } from './vouch.js';
import { vouchOf } from './vouch.js';

/** The newest trust versions this client has verified itself for one hub. */
export interface TrustSeen {
  root: number;
  keyring: number;
}

/**
 * What one client remembers of one hub: every host its operators vouched for, from
 * signed evidence it verified. The hub can leave a host out of an answer; it cannot make
 * the client forget one.
 */
export interface Roster {
  hubId: string;
  /** by host name, one entry each: the newest vouching the client has seen */
  hosts: Record<string, RosterEntry>;
  trust: TrustSeen | null;
}

export const emptyRoster = (hubId: string): Roster => ({ hubId, hosts: {}, trust: null });

export interface Learned {
  roster: Roster;
  /** hosts new to the roster, or vouched for again with another key or labels */
  changed: string[];
  /** host name → key, for every record whose evidence verified now */
  presented: Map<string, RosterEntry>;
  /** records the client refused, and why (the hub's word without an operator's) */
  refused: { host: string; detail: string }[];
}

const sameVouch = (a: RosterEntry, b: RosterEntry) =>
  a.keyId === b.keyId && a.at === b.at && JSON.stringify(a.labels) === JSON.stringify(b.labels);

/**
 * Adds what the hub presents, after verifying each record against the client's verified
 * keyring. The newest vouching per host wins, so a hub presenting an older approval
 * (another key, other labels) does not roll the roster back.
 */
export function learn(
  roster: Roster,
  records: readonly AgentKeyRecord[],
  keyring: VerifiedKeyring,
  verifier: Verifier,
): Learned {
  const hosts = { ...roster.hosts };
  const changed: string[] = [];
  const presented = new Map<string, RosterEntry>();
  const refused: Learned['refused'] = [];
  for (const record of records) {
    const v = vouchOf(record, keyring, verifier);
    if (!v.ok) {
      refused.push({ host: record.host, detail: v.detail });
      continue;
    }
    const entry = v.entry;
    const seen = presented.get(entry.host);
    if (!seen || entry.at > seen.at) presented.set(entry.host, entry);
    const held = hosts[entry.host];
    if (held && (sameVouch(held, entry) || held.at > entry.at)) continue;
    hosts[entry.host] = entry;
    changed.push(entry.host);
  }
  return {
    roster: { ...roster, hosts },
    changed: [...new Set(changed)].sort(),
    presented,
    refused,
  };
}

/**
 * Rostered hosts whose vouching the hub no longer presents: not at all, or only an older
 * one. An honest hub drops an approval only when told to; the roster then needs `forget`.
 */
export function disappeared(roster: Roster, presented: ReadonlyMap<string, RosterEntry>): string[] {
  return Object.values(roster.hosts)
    .filter((e) => {
      const now = presented.get(e.host);
      return !now || now.keyId !== e.keyId || now.at < e.at;
    })
    .map((e) => e.host)
    .sort();
}

/**
 * The roster as the current keyring still backs it: a host whose every voucher the root
 * holders have since revoked is no longer expected (its answers show as unverified), but
 * it stays stored, in case the keyring lists a voucher again.
 */
export function stillVouched(roster: Roster, keyring: VerifiedKeyring): Roster {
  const hosts = Object.fromEntries(
    Object.entries(roster.hosts).filter(([, e]) =>
      e.signers.some((id) => keyring.operatorKeys.has(id)),
    ),
  );
  return { ...roster, hosts };
}

/** Removes a host on purpose (decommissioned); false when the roster did not hold it. */
export function forget(roster: Roster, host: string): { roster: Roster; removed: boolean } {
  if (!(host in roster.hosts)) return { roster, removed: false };
  const { [host]: _gone, ...rest } = roster.hosts;
  return { roster: { ...roster, hosts: rest }, removed: true };
}

/** Raises the newest verified trust versions; never lowers them. */
export function noteTrust(roster: Roster, seen: TrustSeen): Roster {
  const held = roster.trust;
  const next = {
    root: Math.max(held?.root ?? 0, seen.root),
    keyring: Math.max(held?.keyring ?? 0, seen.keyring),
  };
  return held?.root === next.root && held.keyring === next.keyring
    ? roster
    : { ...roster, trust: next };
}

/** Every rostered host with the labels an operator signed, for naming who a target covers. */
export function rosterHosts(roster: Roster): KnownHost[] {
  return Object.values(roster.hosts).map((e) =>
    e.labels ? { name: e.host, labels: e.labels } : { name: e.host },
  );
}

/**
 * Rostered hosts a target covers: named hosts by name, a selector by signed labels
 * only (a host whose labels no operator signed cannot be placed). No target covers all.
 */
export function rosteredFor(roster: Roster, target: Target | undefined): string[] {
  const all = Object.values(roster.hosts);
  if (!target) return all.map((e) => e.host).sort();
  if ('hosts' in target) return target.hosts.filter((h) => h in roster.hosts).sort();
  const parsed = parseSelector(target.selector);
  if (!parsed.ok) return [];
  return all
    .filter((e) => e.labels !== null && matchesSelector(parsed.selector, e.labels))
    .map((e) => e.host)
    .sort();
}
