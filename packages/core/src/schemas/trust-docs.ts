import { z } from 'zod';
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

export const operatorEntry = z.strictObject({
  name: z.string().min(1).max(128),
  keyId,
  publicKey: publicKeyB64,
  /** app names this operator may deploy; "*" for all */
  apps: z
    .array(z.union([appName, z.literal('*')]))
    .min(1)
    .max(256),
  /** label selectors this operator may target; "*" for any host */
  selectors: z.array(z.string().min(1).max(LIMITS.selectorChars)).min(1).max(64),
  expiresAt: timestamp.optional(),
});
export type OperatorEntry = z.infer<typeof operatorEntry>;

/** Operators and per-app policy; signed by a threshold of the current root. */
export const keyringDocument = z.strictObject({
  type: z.literal('keyring'),
  version: z.number().int().min(1).max(100_000_000),
  issuedAt: timestamp,
  expiresAt: timestamp,
  operators: z.array(operatorEntry).max(LIMITS.keyringOperators),
  policies: z.record(appName, z.strictObject({ threshold: z.number().int().min(1).max(16) })),
});
export type KeyringDocument = z.infer<typeof keyringDocument>;
