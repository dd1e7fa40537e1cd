import {
  emptyRoster,
  type HeadMemory,
  parseHeadMemory,
  parseRoster,
  type RememberedHead,
  type Roster,
  serializeRoster,
} from '@serfbort/client';
import type { AuditHead } from '@serfbort/core';
import { del, get, set, update } from 'idb-keyval';

/**
 * What this browser remembers of each hub, by the hub's id, in IndexedDB: the roster in
 * the client package's stored form (the same text the CLI writes to a file), and the
 * audit head it verified last.
 */
const rosterKey = (hubId: string) => `serfbort:roster:${hubId}`;
const headKey = (hubId: string) => `serfbort:audit-head:${hubId}`;

export type StoredRoster = { ok: true; roster: Roster } | { ok: false; detail: string };

/** A damaged roster is reported, never replaced: starting over would forget every host. */
export async function loadRoster(hubId: string): Promise<StoredRoster> {
  const text = await get<unknown>(rosterKey(hubId));
  if (text === undefined) return { ok: true, roster: emptyRoster(hubId) };
  if (typeof text !== 'string') return { ok: false, detail: 'not a stored roster' };
  return parseRoster(text, hubId);
}

export async function saveRoster(roster: Roster): Promise<void> {
  await set(rosterKey(roster.hubId), serializeRoster(roster));
}

/** Starts the roster of this hub over (after the user saw why it was refused). */
export async function discardRoster(hubId: string): Promise<void> {
  await del(rosterKey(hubId));
}

const isHead = (h: unknown): h is AuditHead => {
  const o = h as Partial<AuditHead> | null;
  return (
    typeof o === 'object' &&
    o !== null &&
    Number.isSafeInteger(o.seq) &&
    (o.seq as number) >= 0 &&
    typeof o.hash === 'string' &&
    /^[0-9a-f]{64}$/.test(o.hash)
  );
};

export type StoredHead = { ok: true; head: AuditHead | undefined } | { ok: false; detail: string };

export async function loadAuditHead(hubId: string): Promise<StoredHead> {
  const h = await get<unknown>(headKey(hubId));
  if (h === undefined) return { ok: true, head: undefined };
  return isHead(h)
    ? { ok: true, head: { seq: h.seq, hash: h.hash } }
    : { ok: false, detail: 'not an audit head' };
}

export async function saveAuditHead(hubId: string, head: AuditHead): Promise<void> {
  await set(headKey(hubId), { seq: head.seq, hash: head.hash, seenAt: Date.now() });
}

export async function forgetAuditHead(hubId: string): Promise<void> {
  await del(headKey(hubId));
}

const receiptHeadsKey = (hubId: string) => `serfbort:receipt-heads:${hubId}`;

export type StoredReceiptHeads = { ok: true; heads: HeadMemory } | { ok: false; detail: string };

/** The freshest receipt head verified here per host (the client package's head memory). */
export async function loadReceiptHeads(hubId: string): Promise<StoredReceiptHeads> {
  const value = await get<unknown>(receiptHeadsKey(hubId));
  if (value === undefined) return { ok: true, heads: {} };
  const heads = parseHeadMemory(value);
  return heads ? { ok: true, heads } : { ok: false, detail: 'not a list of receipt heads' };
}

/** One host's head, written in one read-modify-write so two panels do not undo each other. */
export async function saveReceiptHead(
  hubId: string,
  host: string,
  head: RememberedHead | undefined,
): Promise<void> {
  await update<HeadMemory>(receiptHeadsKey(hubId), (held) => {
    const heads = { ...(parseHeadMemory(held) ?? {}) };
    if (head) heads[host] = head;
    else delete heads[host];
    return heads;
  });
}

const hubIdKey = (hubUrl: string) => `serfbort:hub-id:${hubUrl}`;

/**
 * The id a hub at this URL is held to: the first one this browser saw there. A hub that
 * starts calling itself something else would otherwise get an empty roster and a fresh
 * audit head, and with them the power to hide every host and rewrite history again.
 */
export async function heldHubId(
  hubUrl: string,
  hubId: string,
  remember: boolean,
): Promise<{ id: string; changedFrom?: string }> {
  const held = await get<unknown>(hubIdKey(hubUrl));
  if (typeof held === 'string' && held !== hubId) return { id: held, changedFrom: held };
  if (held === undefined && remember) await set(hubIdKey(hubUrl), hubId);
  return { id: hubId };
}
