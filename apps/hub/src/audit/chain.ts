import type { AuditVerdict } from '@serfbort/core';
import { sha256Hex } from '@serfbort/core';

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
