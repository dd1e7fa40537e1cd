import { z } from 'zod';
import { sha256Hex } from '../digest.js';
import { canonicalBytes } from '../encoding.js';
import { envelopeSchema } from '../envelope/envelope.js';
import { LIMITS } from '../limits.js';
import { target } from './deploy.js';
import { appName, hostName, requestId, timestamp } from './primitives.js';

/*
 * Validators for the unsigned messages that cross the wire, next to the types the
 * event maps in protocol/events.ts take from them. Signed payloads have their own
 * schemas (deploy, receipt, agents, rollout, trust documents).
 */

/** The trust documents a hub hands out; agents check the shape before judging the contents. */
export const trustBundleSchema = z.strictObject({
  roots: z.array(envelopeSchema).max(64),
  keyring: envelopeSchema.nullable(),
});

/**
 * A hub's request to run the version-report command now. `request` is the operator's
 * signed check request, relayed only to agents that speak it; they answer it, not checkId.
 */
export const checkQuerySchema = z.strictObject({
  checkId: requestId,
  app: z.string().max(64),
  request: envelopeSchema.optional(),
});

/** One line of a deploy's output, as the agent streams it. */
export const outputLineSchema = z.strictObject({
  stream: z.enum(['stdout', 'stderr']),
  text: z.string().max(LIMITS.outputLineBytes),
  at: timestamp,
});
export type OutputLine = z.infer<typeof outputLineSchema>;

/** agent → hub `deploy:progress`: unsigned, so it moves a host's state only up to running. */
export const deployProgressSchema = z.strictObject({
  requestId,
  app: appName,
  state: z.enum(['accepted', 'running']),
  lines: z
    .array(outputLineSchema)
    .max(LIMITS.outputLinesPerSecond * 10)
    .optional(),
  /** lines not sent because of the output rate bound */
  dropped: z.number().int().min(0).optional(),
});
export type DeployProgress = z.infer<typeof deployProgressSchema>;

// operator → hub queries; the documents inside `trust:publish` verify themselves afterwards
export const hostQuerySchema = z.strictObject({ target: target.optional() });
export type HostQuery = z.infer<typeof hostQuerySchema>;

export const trustPublishSchema = z.strictObject({
  kind: z.enum(['root', 'keyring']),
  envelope: z.unknown(),
});

export const deploymentQuerySchema = z.strictObject({ requestId });
export type DeploymentQuery = z.infer<typeof deploymentQuerySchema>;

export const checkRunQuerySchema = z.strictObject({
  app: appName,
  target: target.optional(),
  timeoutMs: z.number().int().min(100).max(60_000).optional(),
  /** the operator's signed check request, relayed to the agents that speak it */
  request: envelopeSchema.optional(),
});
export type CheckRunQuery = z.infer<typeof checkRunQuerySchema>;

export const rolloutQuerySchema = z.strictObject({ id: requestId });
export type RolloutQuery = z.infer<typeof rolloutQuerySchema>;

export const rolloutResumeQuerySchema = z.strictObject({
  id: requestId,
  lockTtlMs: z.number().int().min(5_000).max(LIMITS.rolloutLockTtlMs).optional(),
});
export type RolloutResumeQuery = z.infer<typeof rolloutResumeQuerySchema>;

export const rolloutListQuerySchema = z.strictObject({
  app: appName.optional(),
  limit: z.number().int().min(1).max(500).optional(),
});
export type RolloutListQuery = z.infer<typeof rolloutListQuerySchema>;

export const lockQuerySchema = z.strictObject({ app: appName });
export type LockQuery = z.infer<typeof lockQuerySchema>;

/** A host's receipts in chain order: the newest `limit` of them. */
export const hostHistoryQuerySchema = z.strictObject({
  host: hostName,
  limit: z.number().int().min(1).max(LIMITS.historyReceipts).optional(),
});
export type HostHistoryQuery = z.infer<typeof hostHistoryQuerySchema>;

/** Many hosts' newest receipt and signed heads at once: what `list` and `check` compare. */
export const hostHeadsQuerySchema = z.strictObject({
  hosts: z.array(hostName).min(1).max(LIMITS.headsPerRequest),
});
export type HostHeadsQuery = z.infer<typeof hostHeadsQuerySchema>;

/** Audit rows after `after` (a sequence number), oldest first, at most `limit`. */
export const auditRowsQuerySchema = z.strictObject({
  after: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  limit: z.number().int().min(1).max(LIMITS.auditRowsPerPage).optional(),
});
export type AuditRowsQuery = z.infer<typeof auditRowsQuerySchema>;

/**
 * What an agent adds, unsigned, after its signed hello: the digest of the trust bundle
 * it already holds, so the hub can leave the bundle out of its answer (a reconnect
 * storm otherwise sends every agent the whole bundle again). Unsigned because it only
 * saves bytes: a hub could always withhold trust, and the agent verifies what it gets.
 * Unknown members are ignored, so later builds can add to it.
 */
export const helloOptionsSchema = z.object({
  trustDigest: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
});
export type HelloOptions = z.infer<typeof helloOptionsSchema>;

/** The hub's answer to a hello: the bundle, or only its digest when the agent holds it. */
export type HelloAnswer = { status: 'approved' | 'pending' } & (
  | { trust: TrustBundle }
  | { trustDigest: string }
);

type TrustBundle = z.infer<typeof trustBundleSchema>;

/** SHA-256 hex of the bundle's canonical JSON: equal bundles, equal digests, in any build. */
export function trustBundleDigest(bundle: TrustBundle): string {
  return sha256Hex(canonicalBytes(bundle));
}
