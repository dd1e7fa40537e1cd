import { sha256Hex } from '../digest.js';
import type { AuditVerdict } from '../protocol/views.js';

/*
 * The audit log's hash chain: each row's hash covers the previous row's hash, so
 * removing, reordering or editing a row breaks every later link. Pure, so the hub
 * writes with it and any holder of an export can check it.
 */

/** The link before the first row. */
export const GENESIS_HASH = '0'.repeat(64);

export interface AuditRow {
  seq: number;
  at: number;
  kind: string;
  body: string;
  prevHash: string;
  hash: string;
}

/** A row's hash covers its place in the chain, its time, its kind and its exact body text. */
export function rowHash(row: Omit<AuditRow, 'hash'>): string {
  return sha256Hex(`${row.prevHash}\n${row.seq}\n${row.at}\n${row.kind}\n${row.body}`);
}

/**
 * Walks rows in sequence order; the first row whose link, number or hash does not
 * verify is named. Feed rows in pages; the walker keeps the running state.
 */
export class ChainWalker {
  private prev = GENESIS_HASH;
  private expectedSeq = 1;
  rows = 0;
  firstBroken: number | undefined;

  push(row: AuditRow): void {
    this.rows++;
    if (this.firstBroken !== undefined) return;
    const linked = row.prevHash === this.prev && row.seq === this.expectedSeq;
    if (!linked || rowHash(row) !== row.hash) this.firstBroken = row.seq;
    this.prev = row.hash;
    this.expectedSeq = row.seq + 1;
  }

  verdict(): AuditVerdict {
    if (this.firstBroken !== undefined)
      return { ok: false, rows: this.rows, firstBroken: this.firstBroken };
    return this.rows === 0
      ? { ok: true, rows: 0 }
      : { ok: true, rows: this.rows, headHash: this.prev };
  }
}
