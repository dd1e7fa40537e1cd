import { z } from 'zod';
import { ADMISSION_CODES } from '../codes.js';
import { target } from './deploy.js';
import { appName, hostName, timestamp, versionText } from './primitives.js';

/** base64url of 16 to 64 random bytes the client chose, so no hub can pick or reuse it */
export const checkNonce = z
  .string()
  .regex(/^[A-Za-z0-9_-]{22,86}$/, 'a check nonce is 16 to 64 random bytes in base64url');

/**
 * An operator's signed question "which version do you run now?". Without a target it
 * asks every host that has the app; with one, only the hosts the target names.
 */
export const checkRequestPayload = z.strictObject({
  type: z.literal('check-request'),
  app: appName,
  target: target.optional(),
  nonce: checkNonce,
  issuedAt: timestamp,
  expiresAt: timestamp,
});
export type CheckRequestPayload = z.infer<typeof checkRequestPayload>;

/**
 * Version 2 of a host's check answer: signed over the request's digest and nonce, so it
 * answers that request only and cannot be kept for another day. `refused` says why the
 * host would not answer the question (then `configured` is false and `version` null).
 */
export const checkAnswerV2 = z.strictObject({
  type: z.literal('check-answer'),
  /** SHA-256 hex of the signed check request's payload bytes */
  requestDigest: z.string().regex(/^[0-9a-f]{64}$/),
  nonce: checkNonce,
  host: hostName,
  app: z.string().max(64),
  configured: z.boolean(),
  version: versionText.nullable(),
  error: z.string().max(512).optional(),
  refused: z
    .strictObject({ code: z.enum(ADMISSION_CODES), detail: z.string().max(512) })
    .optional(),
  at: timestamp,
});
export type CheckAnswerV2 = z.infer<typeof checkAnswerV2>;

/**
 * Version 3: version 2 plus the digest of the release the app runs, for apps deployed as
 * releases. A host signs it only when it has such a digest to report; otherwise version 2.
 */
export const checkAnswerV3 = checkAnswerV2.extend({
  artifact: z.strictObject({ sha256: z.string().regex(/^[0-9a-f]{64}$/) }),
});
export type CheckAnswerV3 = z.infer<typeof checkAnswerV3>;

/** A check answer of version 2 or 3, as readers see it. */
export type CheckAnswerSigned = CheckAnswerV2 & { artifact?: { sha256: string } };
