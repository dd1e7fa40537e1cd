import { z } from 'zod';

/** Bounds of a build attestation; it travels inside a deploy request, so within its payload bound. */
export const ATTESTATION_LIMITS = {
  /** characters of the base64 statement (about 24 KiB of JSON) */
  payloadChars: 32 * 1024,
  /** signatures on one attestation */
  signatures: 8,
  /** builder keys listed in a keyring */
  builders: 64,
  /** subjects of one statement */
  subjects: 256,
  /** nesting of the statement's JSON */
  depth: 32,
} as const;

/** in-toto's DSSE payload type: the one a pipeline's own tools write. */
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

/**
 * A DSSE envelope as the spec writes it, from tools that are not ours: the key id is an
 * optional hint (securesystemslib's, cosign's or none), and base64 may be standard or URL-safe.
 */
export const dsseEnvelope = z.strictObject({
  payloadType: z.string().min(1).max(128),
  payload: z
    .string()
    .min(1)
    .max(ATTESTATION_LIMITS.payloadChars)
    .regex(/^[A-Za-z0-9+/_-]+={0,2}$/, 'the payload is base64'),
  signatures: z
    .array(
      z.strictObject({
        keyid: z.string().max(256).optional(),
        sig: z
          .string()
          .min(1)
          .max(256)
          .regex(/^[A-Za-z0-9+/_-]+={0,2}$/, 'a signature is base64'),
      }),
    )
    .min(1)
    .max(ATTESTATION_LIMITS.signatures),
});
export type DsseEnvelope = z.infer<typeof dsseEnvelope>;
