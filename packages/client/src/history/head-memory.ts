import { z } from 'zod';
import type { HistoryVerdict } from './verify-history.js';

/**
 * The freshest receipt head of one host this client verified (signed by the host's key
 * `keyId`), and whether that agent re-signs its head while it runs. A hub can serve an
 * older hello or statement of the agent; it cannot make the client forget a newer one.
 */
export interface RememberedHead {
  keyId: string;
  seq: number;
  digest: string | null;
  at: number;
  resigns: boolean;
}

/** by host name, for one hub */
export type HeadMemory = Record<string, RememberedHead>;

const remembered = z.strictObject({
  keyId: z.string().min(1).max(128),
  seq: z.number().int().min(0),
  digest: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .nullable(),
  at: z.number().int().min(0),
  resigns: z.boolean(),
});

const memoryDoc = z.record(z.string().min(1).max(253), remembered);

/** A stored memory, strictly: a damaged one is refused (undefined), never half-read. */
export function parseHeadMemory(value: unknown): HeadMemory | undefined {
  const parsed = memoryDoc.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/**
 * What to remember after judging a host's history under key `keyId`: the head only moves
 * forward (a higher number, or the same receipt signed later), and "re-signs" is never
 * unlearned for the same key; a new key starts over. Undefined when nothing changes.
 */
export function nextRememberedHead(
  held: RememberedHead | undefined,
  verdict: Pick<HistoryVerdict, 'head' | 'resigns'>,
  keyId: string,
): RememberedHead | undefined {
  const head = verdict.head;
  if (!head) return undefined;
  const sameKey = held?.keyId === keyId;
  const resigns = verdict.resigns || (sameKey && held!.resigns);
  const forward =
    !held ||
    !sameKey ||
    head.seq > held.seq ||
    (head.seq === held.seq && head.digest === held.digest && head.at > held.at);
  if (!forward) return resigns && !held.resigns ? { ...held, resigns } : undefined;
  return { keyId, seq: head.seq, digest: head.digest, at: head.at, resigns };
}
