import type { AuditHead, AuditRow } from '@serfbort/core';
import { rowHash } from '@serfbort/core';
import type { Lie } from './hide-host.js';

/**
 * The chain as whoever owns the hub would rebuild it: row `from` edited, every link after
 * it re-hashed. It verifies on its own; only a client that remembers a head can tell.
 */
export function rebuiltChain(rows: readonly AuditRow[], from: number): AuditRow[] {
  let prev: string | undefined;
  return rows.map((row) => {
    if (row.seq < from) {
      prev = row.hash;
      return row;
    }
    const partial = {
      seq: row.seq,
      at: row.at,
      kind: row.kind,
      body: row.seq === from ? row.body.replace(/}$/, ',"rewritten":true}') : row.body,
      prevHash: prev ?? row.prevHash,
    };
    const hash = rowHash(partial);
    prev = hash;
    return { ...partial, hash };
  });
}

const isHead = (v: unknown): v is AuditHead =>
  !!v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).sort().join() === 'hash,seq';

const isRows = (v: unknown): v is AuditRow[] =>
  Array.isArray(v) && v.length > 0 && v.every((r) => r && typeof r === 'object' && 'prevHash' in r);

/** The hub presents `chain` instead of its own: its head, and its rows by sequence number. */
export function presentChain(chain: readonly AuditRow[]): Lie {
  const bySeq = new Map(chain.map((r) => [r.seq, r]));
  const last = chain.at(-1)!;
  return (p) => {
    if (p.namespace !== '/operator' || p.kind !== 'ack') return p.data;
    return p.data.map((ack) => {
      const a = ack as { ok?: boolean; data?: unknown };
      if (!a?.ok) return ack;
      if (isHead(a.data)) return { ...a, data: { seq: last.seq, hash: last.hash } };
      if (isRows(a.data)) return { ...a, data: a.data.map((r) => bySeq.get(r.seq) ?? r) };
      return ack;
    });
  };
}

/** The hub never answers a request for its audit head (the client's request times out). */
export const stallHead: Lie = (p) => {
  if (p.namespace !== '/operator' || p.kind !== 'ack') return p.data;
  const a = p.data[0] as { ok?: boolean; data?: unknown } | undefined;
  return a?.ok && isHead(a.data) ? null : p.data;
};

/**
 * The hub refuses a request for its audit head: by default as a hub too old to serve one
 * would, or with another refusal (its database away).
 */
export const refuseHead =
  (error = { code: 'BAD_REQUEST', message: 'unknown event' }): Lie =>
  (p) => {
    if (p.namespace !== '/operator' || p.kind !== 'ack') return p.data;
    return p.data.map((ack) => {
      const a = ack as { ok?: boolean; data?: unknown };
      if (!a?.ok || !isHead(a.data)) return ack;
      return { ok: false, error };
    });
  };
