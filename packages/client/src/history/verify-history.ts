import type { AnyReceipt, Envelope, ReceiptHead, Verifier } from '@serfbort/core';
import {
  fromBase64,
  isChained,
  keyIdOf,
  openPayload,
  RECEIPT_HEAD_STALE_MS,
  readAgentHello,
  sha256Hex,
  verifyHostReceipt,
  verifyReceiptHeadStatement,
  verifySignatures,
} from '@serfbort/core';
import { chainProblems } from './chain-problems.js';
import type { RememberedHead } from './head-memory.js';
import { nextRememberedHead } from './head-memory.js';
import type { ChainProblem, HistoryEntry } from './history-types.js';

export type { ChainProblem, HistoryEntry } from './history-types.js';

export interface HistoryVerdict {
  host: string;
  /** intact: every receipt chained and continuous; broken: a problem below; unproven: v1 receipts only or no signed head */
  status: 'intact' | 'broken' | 'unproven';
  entries: HistoryEntry[];
  problems: ChainProblem[];
  /** the agent's own statement of its newest receipt (hello or head statement, the freshest) */
  head: (ReceiptHead & { at: number }) | null;
  /** the agent re-signs its head while it runs (what the hub served says so) */
  resigns: boolean;
  /** the head memory to keep for this host now, when it moves (head-memory.ts) */
  remember?: RememberedHead;
}

export interface HistoryInput {
  host: string;
  receipts: readonly unknown[];
  hello: unknown;
  /** the agent's newest receipt-head statement as the hub served it (absent: none served) */
  head?: unknown;
  /** how many receipts were asked for: a full page may leave older ones out on purpose */
  limit: number;
  agentKeys: ReadonlyMap<string, Uint8Array>;
  verifier: Verifier;
  /**
   * Whether the hub shows the host online, and the client's clock: given both, a head
   * older than RECEIPT_HEAD_STALE_MS from an agent that re-signs it is a problem.
   */
  freshness?: { online: boolean; now: number };
  /**
   * The freshest head this client verified for the host before (head-memory.ts): a hub
   * serving an older hello or statement, to hide what came after, is caught by it.
   */
  remembered?: RememberedHead;
}

type SignedHead = ReceiptHead & { at: number };

const digestOf = (envelope: unknown) => sha256Hex(fromBase64((envelope as Envelope).payload));

/**
 * The agent's signed statement of its newest receipt, from its hello (v3), if it verifies;
 * `resigns` says the agent also re-signs its head while it runs (it speaks receipt-head).
 */
export function verifiedHead(
  host: string,
  hello: unknown,
  agentKeys: ReadonlyMap<string, Uint8Array>,
  verifier: Verifier,
): { head: SignedHead | null; resigns: boolean; problem?: ChainProblem } {
  if (hello === null || hello === undefined) return { head: null, resigns: false };
  const key = agentKeys.get(host);
  const opened = openPayload(hello, 'agentAuth');
  if (!key || !opened.ok)
    return {
      head: null,
      resigns: false,
      problem: { kind: 'head-unverified', detail: 'the hello does not open' },
    };
  const keyId = keyIdOf(key);
  const signed = verifySignatures(opened.value, (id) => (id === keyId ? key : undefined), verifier);
  const read = readAgentHello(opened.value.payload, opened.value.version);
  if (!signed.ok || !read.ok || read.hello.host !== host)
    return {
      head: null,
      resigns: false,
      problem: { kind: 'head-unverified', detail: `the hello is not signed by ${host}'s key` },
    };
  return {
    head: read.receipts ? { ...read.receipts, at: read.hello.at } : null,
    resigns: read.speaks.receiptHead !== undefined,
  };
}

/**
 * The freshest head the agent signed, from its hello or its newest receipt-head
 * statement: the higher number wins (a chain never goes back), the later one on a tie.
 */
function freshestHead(input: HistoryInput): {
  head: SignedHead | null;
  resigns: boolean;
  problems: ChainProblem[];
} {
  const { host, agentKeys, verifier } = input;
  const fromHello = verifiedHead(host, input.hello, agentKeys, verifier);
  const problems = fromHello.problem ? [fromHello.problem] : [];
  let head = fromHello.head;
  let signsStatements = false;
  const key = agentKeys.get(host);
  if (input.head !== undefined && input.head !== null && key) {
    const v = verifyReceiptHeadStatement(input.head, host, key, verifier);
    if (!v.ok) problems.push({ kind: 'head-unverified', detail: `receipt head: ${v.detail}` });
    else {
      signsStatements = true;
      const { seq, digest, at } = v.value;
      if (!head || seq > head.seq || (seq === head.seq && at > head.at)) head = { seq, digest, at };
    }
  }
  // a statement that verifies is itself proof the agent re-signs (the hello may be old)
  const resigns = fromHello.resigns || signsStatements;
  return { head, resigns, problems };
}

/** What the served head says against the one this client verified before, under the same key. */
function memoryProblems(
  head: SignedHead | null,
  remembered: RememberedHead | undefined,
  key: Uint8Array | undefined,
): ChainProblem[] {
  if (!remembered || !key || remembered.keyId !== keyIdOf(key)) return [];
  if (!head || head.seq < remembered.seq)
    return [{ kind: 'head-regressed', remembered: remembered.seq, shown: head?.seq ?? null }];
  if (head.seq === remembered.seq && head.digest !== remembered.digest)
    return [{ kind: 'head-forked', seq: head.seq }];
  return [];
}

/**
 * A host's history as the hub served it, judged by the client alone: every receipt must be
 * signed by the host's approved key, and the chained ones (v2) must run 1, 2, 3, … each
 * linking to the digest of the one before, up to the head the agent itself signed in its
 * hello. Whatever is missing, doubled or out of order is named as what the hub hid.
 */
export function verifyHistory(input: HistoryInput): HistoryVerdict {
  const { host, agentKeys, verifier } = input;
  const problems: ChainProblem[] = [];
  const entries: HistoryEntry[] = [];
  input.receipts.forEach((envelope, index) => {
    const v = verifyHostReceipt(envelope, host, agentKeys, verifier);
    if (!v.ok) {
      problems.push({ kind: 'unverified', index, detail: `${v.code}: ${v.detail}` });
      return;
    }
    const r: AnyReceipt = v.value;
    entries.push({
      receipt: r,
      digest: digestOf(envelope),
      seq: isChained(r) ? r.seq : null,
      prev: isChained(r) ? r.prev : null,
    });
  });
  const { head, resigns, problems: headProblems } = freshestHead(input);
  problems.push(...headProblems);
  problems.push(...chainProblems(entries, head, input.receipts.length >= input.limit));
  const key = agentKeys.get(host);
  const memory = memoryProblems(head, input.remembered, key);
  problems.push(...memory);
  // an agent this client saw re-signing still does, whatever older hello the hub serves
  const knownToResign =
    resigns ||
    (input.remembered?.resigns === true && key && input.remembered.keyId === keyIdOf(key));
  const fresh = input.freshness;
  if (fresh?.online && knownToResign && head && fresh.now - head.at > RECEIPT_HEAD_STALE_MS)
    problems.push({ kind: 'head-stale', ageMs: fresh.now - head.at });
  const chained = entries.some((e) => e.seq !== null);
  const status = problems.length > 0 ? 'broken' : chained && head ? 'intact' : 'unproven';
  const remember = key && nextRememberedHead(input.remembered, { head, resigns }, keyIdOf(key));
  return { host, status, entries, problems, head, resigns, ...(remember ? { remember } : {}) };
}
