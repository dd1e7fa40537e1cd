import type { AnyReceipt } from '@serfbort/core';
import { RECEIPT_HEAD_REFRESH_MS } from '@serfbort/core';

/** One verified receipt of a host's history; `seq` and `prev` are null for version-1 receipts. */
export interface HistoryEntry {
  receipt: AnyReceipt;
  /** SHA-256 hex of the receipt's signed payload bytes: what the next receipt's `prev` names */
  digest: string;
  seq: number | null;
  prev: string | null;
}

/** What is wrong with a host's history; each names what the hub hid or changed. */
export type ChainProblem =
  /** a receipt that does not verify against the host's approved key */
  | { kind: 'unverified'; index: number; detail: string }
  /** receipts from..to are missing (to is inclusive) */
  | { kind: 'gap'; from: number; to: number; newest: boolean }
  /** two different receipts carry one sequence number */
  | { kind: 'fork'; seq: number }
  /** the hub served `seq` before `after`, although it is older */
  | { kind: 'reordered'; seq: number; after: number }
  /** receipt `seq` does not link to the receipt served before it */
  | { kind: 'broken-link'; seq: number }
  /** the agent's signed head names another receipt at its sequence number */
  | { kind: 'head-mismatch'; seq: number }
  /** the agent's hello or receipt-head statement could not be verified */
  | { kind: 'head-unverified'; detail: string }
  /** the host is online and re-signs its head every few minutes, but the newest shown is `ageMs` old */
  | { kind: 'head-stale'; ageMs: number }
  /** this client verified a head at `remembered` before; the hub now shows `shown` (lower, or none) */
  | { kind: 'head-regressed'; remembered: number; shown: number | null }
  /** this client verified another receipt at number `seq` as the agent's head before */
  | { kind: 'head-forked'; seq: number };

const range = (from: number, to: number) =>
  from === to ? `receipt ${from} is` : `receipts ${from}–${to} are`;

/** One line a person reads: what is wrong, and who is to blame. */
export function describeProblem(p: ChainProblem): string {
  switch (p.kind) {
    case 'unverified':
      return `receipt #${p.index + 1} as served does not verify (${p.detail})`;
    case 'gap':
      return p.newest
        ? `${range(p.from, p.to)} missing: the agent signed ${p.to} as its newest; the hub hid ${p.from === p.to ? 'it' : 'them'}`
        : `${range(p.from, p.to)} missing: the hub hid ${p.from === p.to ? 'it' : 'them'}`;
    case 'fork':
      return `two different receipts carry number ${p.seq}: the history forked`;
    case 'reordered':
      return `receipt ${p.seq} was served after receipt ${p.after}: the hub reordered them`;
    case 'broken-link':
      return `receipt ${p.seq} does not link to the receipt before it: the history was changed`;
    case 'head-mismatch':
      return `the agent's signed head names another receipt ${p.seq} than the hub shows: the history forked`;
    case 'head-unverified':
      return `the agent's head cannot be verified: ${p.detail}`;
    case 'head-regressed':
      return `this client verified the agent's signed head at receipt ${p.remembered} before; the hub now shows ${p.shown === null ? 'no head' : `only receipt ${p.shown}`}: it serves an older statement of the agent and may be hiding what came after`;
    case 'head-forked':
      return `this client verified another receipt ${p.seq} as the agent's head before: the history forked`;
    case 'head-stale':
      return `the newest receipt head the hub shows is ${Math.round(p.ageMs / 60_000)} min old, although the host is online and signs a fresh one every ${RECEIPT_HEAD_REFRESH_MS / 60_000} min: the hub may be holding back its newest receipts`;
  }
}
