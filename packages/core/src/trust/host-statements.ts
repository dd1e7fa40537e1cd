import type { z } from 'zod';
import type { Verifier } from '../crypto/policy.js';
import type { PayloadKind } from '../envelope/payload-types.js';
import { PAYLOAD_TYPES } from '../envelope/payload-types.js';
import type { Result } from '../envelope/verify.js';
import { fail, ok, verifyEnvelope } from '../envelope/verify.js';
import { keyIdOf } from '../keys/key-id.js';
import type { ReceiptHeadStatement, TrustReport } from '../schemas/agents.js';
import { receiptHeadStatement, trustReport } from '../schemas/agents.js';

/**
 * A statement a host signs about itself, believed only when signed by that host's key and
 * naming that host: the hub that stores and relays it cannot change a word in it.
 */
function verifyHostStatement<T extends { host: string }>(
  kind: PayloadKind,
  what: string,
  schema: z.ZodType<T>,
  input: unknown,
  host: string,
  hostKey: Uint8Array,
  verifier: Verifier,
): Result<T, string> {
  const keyId = keyIdOf(hostKey);
  const v = verifyEnvelope(
    input,
    PAYLOAD_TYPES[kind],
    (k) => (k === keyId ? hostKey : undefined),
    verifier,
  );
  if (!v.ok) return fail(v.reason, v.detail ?? v.reason);
  const parsed = schema.safeParse(v.value.payload);
  if (!parsed.success) return fail('MALFORMED', `${what}: malformed`);
  if (parsed.data.host !== host)
    return fail('WRONG_HOST', `the ${what} is ${parsed.data.host}'s, not ${host}'s`);
  return ok(parsed.data);
}

/** A host's word on the root and keyring it holds (trust views). */
export function verifyTrustReport(
  input: unknown,
  host: string,
  hostKey: Uint8Array,
  verifier: Verifier,
): Result<TrustReport, string> {
  return verifyHostStatement(
    'trustReport',
    'trust report',
    trustReport,
    input,
    host,
    hostKey,
    verifier,
  );
}

/** A host's word on its newest receipt (receipt chains): what a hub must show. */
export function verifyReceiptHeadStatement(
  input: unknown,
  host: string,
  hostKey: Uint8Array,
  verifier: Verifier,
): Result<ReceiptHeadStatement, string> {
  return verifyHostStatement(
    'receiptHead',
    'receipt head',
    receiptHeadStatement,
    input,
    host,
    hostKey,
    verifier,
  );
}
