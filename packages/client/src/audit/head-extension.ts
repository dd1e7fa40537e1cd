import type { AuditHead, AuditRow, Refusal } from '@serfbort/core';
import { GENESIS_HASH, rowHash } from '@serfbort/core';

export type HeadVerdict =
  | { ok: true; head: AuditHead }
  | (Refusal<'AUDIT_FORKED'> & { remembered: AuditHead; current: AuditHead });

const short = (h: AuditHead) => `row ${h.seq} (${h.hash.slice(0, 16)}…)`;

/**
 * Whether the hub's audit chain now extends the head this client saw last: the row it
 * remembered is still there with the same hash, and every row after it links up to the
 * hub's new head. Feed the remembered row (unless it was the empty chain) and every row
 * after it, in pages, oldest first. A hub that rebuilt or forked its history (the chain
 * is unsigned, so whoever owns the database can rewrite it consistently) fails here,
 * because it cannot reproduce a hash it no longer holds.
 */
export class HeadExtension {
  private last: AuditHead;
  private problem: string | undefined;

  constructor(
    readonly remembered: AuditHead,
    readonly current: AuditHead,
  ) {
    const unmoved = current.seq === remembered.seq && current.hash === remembered.hash;
    this.last =
      remembered.seq === 0
        ? { seq: 0, hash: GENESIS_HASH }
        : unmoved
          ? remembered
          : { seq: -1, hash: '' };
    if (current.seq < remembered.seq)
      this.problem = `the hub's chain is shorter than the one seen before`;
    else if (current.seq === remembered.seq && current.hash !== remembered.hash)
      this.problem = `the hub shows another row ${current.seq}`;
  }

  /** the next row to ask for is after this sequence number */
  get after(): number {
    return this.last.seq === -1 ? this.remembered.seq - 1 : this.last.seq;
  }

  /** done when the problem is known or the walk reached the hub's head */
  get done(): boolean {
    return this.problem !== undefined || this.last.seq >= this.current.seq;
  }

  push(row: AuditRow): void {
    if (this.done) return;
    if (this.last.seq === -1) {
      // the remembered row itself: it must be the one this client saw
      if (
        row.seq !== this.remembered.seq ||
        row.hash !== this.remembered.hash ||
        rowHash(row) !== row.hash
      )
        this.problem = `row ${this.remembered.seq} is not the one seen before`;
    } else if (
      row.seq !== this.last.seq + 1 ||
      row.prevHash !== this.last.hash ||
      rowHash(row) !== row.hash
    )
      this.problem = `row ${row.seq} does not link to row ${this.last.seq}`;
    this.last = { seq: row.seq, hash: row.hash };
  }

  /** A page that ended before the head is a problem too: the hub withheld rows. */
  verdict(): HeadVerdict {
    let problem = this.problem;
    if (!problem && this.last.seq < this.current.seq)
      problem = `the hub served rows only up to ${Math.max(this.last.seq, 0)}`;
    else if (!problem && this.last.hash !== this.current.hash)
      problem = `row ${this.current.seq} is not the head the hub named`;
    if (!problem) return { ok: true, head: this.current };
    return {
      ok: false,
      code: 'AUDIT_FORKED',
      detail: `the hub's audit history does not extend the one this client saw last (${problem}): remembered ${short(this.remembered)}, the hub now shows ${short(this.current)}; it was rebuilt or forked`,
      remembered: this.remembered,
      current: this.current,
    };
  }
}

/**
 * Walks the rows between the remembered head and the hub's, a page at a time, bounded:
 * the same check wherever the rows come from (the CLI's session, the dashboard's socket).
 */
export async function verifyHeadExtension(
  remembered: AuditHead,
  current: AuditHead,
  rowsAfter: (after: number) => Promise<readonly AuditRow[]>,
  rowsPerPage: number,
): Promise<HeadVerdict> {
  const ext = new HeadExtension(remembered, current);
  const pages = Math.ceil((current.seq - remembered.seq + 1) / rowsPerPage) + 1;
  for (let i = 0; i < pages && !ext.done; i++) {
    const rows = await rowsAfter(ext.after);
    if (rows.length === 0) break;
    for (const row of rows) ext.push(row);
  }
  return ext.verdict();
}

/** What a hub older than a request answers it: it does not serve that at all. */
export const isUnknownEventRefusal = (r: { code: string; message: string }): boolean =>
  r.code === 'BAD_REQUEST' && r.message === 'unknown event';

export type UnservedAudit =
  /** a hub that never served this client a head (an older hub): unchecked, which is said */
  | { verdict: 'unchecked'; detail: string }
  /** one that served a head before and now answers as if it never did: refused */
  | { verdict: 'withheld'; code: 'AUDIT_WITHHELD'; detail: string }
  /** any other refusal (its database is away, say): refused with the hub's own code, retry */
  | { verdict: 'failed'; detail: string };

/**
 * The hub refused to serve its audit head, or the rows after the one this client
 * remembers: the same judgement in the CLI (at every session) and the dashboard (at every
 * login). Only "unknown event" means the hub does not serve the history at all.
 */
export function unservedAudit(
  remembered: AuditHead | undefined,
  refusal: { code: string; message: string },
): UnservedAudit {
  const why = `${refusal.code}: ${refusal.message}`;
  if (!isUnknownEventRefusal(refusal))
    return { verdict: 'failed', detail: `the hub could not serve its audit history (${why})` };
  if (!remembered)
    return {
      verdict: 'unchecked',
      detail: `the hub does not serve its audit history (${why}): it is not checked`,
    };
  return {
    verdict: 'withheld',
    code: 'AUDIT_WITHHELD',
    detail: `the hub served its audit history up to ${short(remembered)} before and now withholds it (${why}): it may be hiding a rebuilt history`,
  };
}
