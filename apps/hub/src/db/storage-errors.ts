/**
 * Tells a database that is away (PostgreSQL down or cut off, a pool that cannot
 * connect, a closed PGlite) from a bug, so operators are told to retry instead of
 * reading "internal error". Drivers and drizzle wrap errors, so the cause chain is walked.
 */

/** socket errors node raises while the database is unreachable */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** SQLSTATE class 08 (connection exception) and 57P01–57P03 (server shutting down or starting) */
const SQLSTATE = /^(08[0-9A-Z]{3}|57P0[123])$/;

/** what pg and PGlite say, without a code, when the connection is gone or never came */
const MESSAGES = [
  /connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /client has encountered a connection error/i,
  /client was closed and is not queryable/i,
  /cannot use a pool after calling end/i,
  /pglite is closed/i,
];

export const STORAGE_UNAVAILABLE_MESSAGE =
  "the hub's database is unreachable right now; retry in a moment";

/** Seconds an HTTP client is asked to wait before retrying (Retry-After). */
export const STORAGE_RETRY_AFTER_S = 5;

export function isStorageUnavailable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && (NETWORK_CODES.has(code) || SQLSTATE.test(code))) return true;
    if (MESSAGES.some((m) => m.test(current instanceof Error ? current.message : ''))) return true;
    current = current.cause;
  }
  return false;
}
