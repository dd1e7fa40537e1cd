import { z } from 'zod';
import { dsseEnvelope } from '../attest/dsse-envelope.js';
import { RECEIPT_REASONS } from '../codes.js';
import { LIMITS } from '../limits.js';
import { parseSelector } from '../selector/parse.js';
import { appName, hostName, keyId, requestId, timestamp, versionText } from './primitives.js';

/** Host names or a label selector; inside the signature, so the hub cannot widen it. */
export const target = z.union([
  z.strictObject({ hosts: z.array(hostName).min(1).max(LIMITS.targetHosts) }),
  z.strictObject({
    selector: z
      .string()
      .min(1)
      .max(LIMITS.selectorChars)
      .superRefine((text, ctx) => {
        const parsed = parseSelector(text);
        if (!parsed.ok)
          ctx.addIssue({ code: 'custom', message: `selector: ${parsed.error.message}` });
      }),
  }),
]);
export type Target = z.infer<typeof target>;

export const rolloutRef = z.strictObject({
  id: requestId,
  step: z.number().int().min(0).max(10_000),
  steps: z.number().int().min(1).max(10_000),
});

export const artifactRef = z.strictObject({
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  size: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  /** where the agent fetches it, when its config has no url template; informative otherwise */
  url: z.string().min(1).max(2048).optional(),
  name: z.string().min(1).max(256).optional(),
});
export type ArtifactRef = z.infer<typeof artifactRef>;

export const deployRequest = z.strictObject({
  type: z.literal('deploy'),
  id: requestId,
  app: appName,
  version: versionText,
  target,
  issuedAt: timestamp,
  expiresAt: timestamp,
  /** the key ids expected to sign (informative; authorization uses the verified signers) */
  signers: z.array(keyId).min(1).max(LIMITS.signaturesPerEnvelope),
  /** what the version-report command must print afterwards, e.g. the commit a tag resolves to */
  expect: versionText.optional(),
  /** the exact bytes to deploy, inside the signature: the hub can drop it, never swap it */
  artifact: artifactRef.optional(),
  /** a builder's in-toto attestation of the artifact, inside the signature: the hub can drop it, never forge it */
  attestation: dsseEnvelope.optional(),
  rollout: rolloutRef.optional(),
});
export type DeployRequest = z.infer<typeof deployRequest>;

export const RECEIPT_STATUSES = [
  'succeeded',
  'failed',
  'rejected',
  'timed-out',
  'interrupted',
] as const;
export type ReceiptStatus = (typeof RECEIPT_STATUSES)[number];

/** A host's signed answer to one deploy request. */
export const receipt = z.strictObject({
  type: z.literal('receipt'),
  requestId,
  /** SHA-256 hex of the signed request payload bytes */
  requestDigest: z.string().regex(/^[0-9a-f]{64}$/),
  host: hostName,
  app: z.string().max(64),
  version: versionText,
  status: z.enum(RECEIPT_STATUSES),
  /** why it was refused or failed: a code from the closed union, never free text */
  reason: z.enum(RECEIPT_REASONS).optional(),
  exitCode: z.number().int().min(-1).max(255).nullable(),
  versionBefore: versionText.nullable(),
  versionAfter: versionText.nullable(),
  startedAt: timestamp,
  finishedAt: timestamp,
  detail: z.string().max(LIMITS.receiptDetailBytes).optional(),
});
export type Receipt = z.infer<typeof receipt>;

/**
 * What a receipt says about the artifact its request named: the digest signed (and,
 * when the deploy succeeded, deployed) and, when the fetched bytes differed, theirs.
 */
export const receiptArtifact = z.strictObject({
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** SHA-256 hex of the bytes the host fetched, when they were not the signed ones */
  fetched: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
});
export type ReceiptArtifact = z.infer<typeof receiptArtifact>;
