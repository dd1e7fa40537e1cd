/**
 * One closed set of refusal codes, shared by hub, agent, CLI and dashboard.
 * Metrics label by code and tests assert the code, never a message.
 */
export const ADMISSION_CODES = [
  // rule 1: envelope well-formed, within bounds, a deploy
  'MALFORMED',
  'OVERSIZED',
  'WRONG_PAYLOAD_TYPE',
  'UNSUPPORTED_VERSION',
  // rule 2: signatures valid, by operators allowed this app and target, meeting the threshold
  'BAD_SIGNATURE',
  'UNKNOWN_SIGNER',
  'SIGNER_NOT_ALLOWED',
  'THRESHOLD_NOT_MET',
  // rule 3: trust documents valid and unexpired
  'TRUST_EXPIRED',
  // rule 4: time window
  'EXPIRED',
  'ISSUED_IN_FUTURE',
  // rule 5: replay
  'REPLAYED',
  // rule 6: no rollback by replaying an older request
  'STALE',
  // rule 7: the target names this agent
  'TARGET_MISMATCH',
  // rule 8: the app exists here
  'APP_NOT_CONFIGURED',
  // rule 9: the version is a safe argument
  'BAD_VERSION',
] as const;
export type AdmissionCode = (typeof ADMISSION_CODES)[number];

/** Why a root or keyring document was refused. */
export const TRUST_CODES = [
  'TRUST_MALFORMED',
  'TRUST_BAD_SIGNATURE',
  'TRUST_OLD_THRESHOLD',
  'TRUST_NEW_THRESHOLD',
  'TRUST_THRESHOLD_NOT_MET',
  'TRUST_VERSION_NOT_NEWER',
  'TRUST_VERSION_GAP',
  'TRUST_DOC_EXPIRED',
  'TRUST_BAD_KEY',
  'TRUST_DUPLICATE_KEY',
  'TRUST_PIN_MISMATCH',
  'TRUST_NO_ROOT',
] as const;
export type TrustCode = (typeof TRUST_CODES)[number];

/** Errors the hub answers in acknowledgements. */
export const HUB_CODES = [
  'BAD_REQUEST',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'PENDING_APPROVAL',
  'NAME_TAKEN',
  'TOKEN_INVALID',
  'RATE_LIMITED',
  'NOT_FOUND',
  'NO_MATCHING_HOSTS',
  'CONFLICT',
  'LOCKED',
  'UNAVAILABLE',
  'INTERNAL',
] as const;
export type HubCode = (typeof HUB_CODES)[number];

export type ErrorCode = AdmissionCode | TrustCode | HubCode;
