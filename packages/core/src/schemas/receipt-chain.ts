import { z } from 'zod';
import { receipt, receiptArtifact } from './deploy.js';

const digestHex = z.string().regex(/^[0-9a-f]{64}$/);

/**
 * Version 2 of a receipt: the agent numbers its receipts (1, 2, 3, …) and links each to
 * the one before (SHA-256 of its signed payload bytes), inside the signature, so a hub
 * that drops, reorders or swaps a host's receipts leaves a gap the client can name. A
 * receipt about an artifact carries it too.
 */
export const receiptV2 = receipt.extend({
  seq: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  /** SHA-256 hex of the previous receipt's payload bytes; null for seq 1 */
  prev: digestHex.nullable(),
  /** the artifact the request named: the digest deployed (both digests on a mismatch) */
  artifact: receiptArtifact.optional(),
});
export type ReceiptV2 = z.infer<typeof receiptV2>;

/** An agent's newest receipt as it states it: seq 0 and no digest before its first. */
export const receiptHead = z.strictObject({
  seq: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  digest: digestHex.nullable(),
});
export type ReceiptHead = z.infer<typeof receiptHead>;

/**
 * How often a running agent re-signs its receipt head, and how old the freshest signed
 * head of a host the hub shows online may be before clients say the hub holds it back.
 * Three refreshes missed: a reconnect or a slow hub is not an accusation.
 */
export const RECEIPT_HEAD_REFRESH_MS = 10 * 60_000;
export const RECEIPT_HEAD_STALE_MS = 3 * RECEIPT_HEAD_REFRESH_MS;
