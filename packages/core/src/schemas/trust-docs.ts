import { z } from 'zod';
import { ATTESTATION_LIMITS } from '../attest/dsse-envelope.js';
import { LIMITS } from '../limits.js';
import { appName, keyId, publicKeyB64, timestamp } from './primitives.js';

export const trustedKey = z.strictObject({
  keyId,
  publicKey: publicKeyB64,
  name: z.string().max(128).optional(),
});
export type TrustedKey = z.infer<typeof trustedKey>;

/** The root of trust: offline administrator keys and how many must sign. */
export const rootDocument = z
  .strictObject({
    type: z.literal('root'),
    version: z.number().int().min(1).max(1_000_000),
    issuedAt: timestamp,
    expiresAt: timestamp,
    threshold: z.number().int().min(1).max(LIMITS.rootKeys),
    keys: z.array(trustedKey).min(1).max(LIMITS.rootKeys),
  })
  .refine((r) => r.threshold <= r.keys.length, 'threshold is larger than the number of keys');
export type RootDocument = z.infer<typeof rootDocument>;

/** Who holds a key in a keyring, and which apps it speaks for ("*" for all). */
const keyHolder = {
  name: z.string().min(1).max(128),
  keyId,
  publicKey: publicKeyB64,
  apps: z
    .array(z.union([appName, z.literal('*')]))
    .min(1)
    .max(256),
};

export const operatorEntry = z.strictObject({
  ...keyHolder,
  /** label selectors this operator may target; "*" for any host */
  selectors: z.array(z.string().min(1).max(LIMITS.selectorChars)).min(1).max(64),
  expiresAt: timestamp.optional(),
});
export type OperatorEntry = z.infer<typeof operatorEntry>;

/**
 * A build pipeline's key: it signs in-toto attestations of artifacts of its apps, never
 * deploy requests.
 */
export const builderEntry = z.strictObject(keyHolder);
export type BuilderEntry = z.infer<typeof builderEntry>;

export const appPolicy = z.strictObject({
  threshold: z.number().int().min(1).max(16),
  /** a deploy must carry an artifact digest and a listed builder's attestation of it */
  requireAttestation: z.boolean().optional(),
});
export type AppPolicy = z.infer<typeof appPolicy>;

/** Operators and per-app policy; signed by a threshold of the current root. */
export const keyringDocument = z.strictObject({
  type: z.literal('keyring'),
  version: z.number().int().min(1).max(100_000_000),
  issuedAt: timestamp,
  expiresAt: timestamp,
  operators: z.array(operatorEntry).max(LIMITS.keyringOperators),
  policies: z.record(appName, appPolicy),
  /** optional, so keyrings from before attestations stay valid */
  builders: z.array(builderEntry).max(ATTESTATION_LIMITS.builders).optional(),
});
export type KeyringDocument = z.infer<typeof keyringDocument>;
