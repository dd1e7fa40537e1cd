/**
 * One closed set of codes for every refusal, failure and error a user can see, shared
 * by agent, hub, CLI and dashboard. Metrics label by code and tests assert the code,
 * never a message. Groups say who decides; no code appears in two groups.
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
  // rule 10: an app whose keyring policy requires it carries a listed builder's attestation of its artifact
  'ATTESTATION_REQUIRED',
  'ATTESTATION_INVALID',
] as const;
export type AdmissionCode = (typeof ADMISSION_CODES)[number];

/** How an accepted deploy ended on its host when it did not succeed; the agent signs these. */
export const RUN_CODES = [
  'SPAWN_FAILED',
  'EXIT_NONZERO',
  'TIMEOUT',
  'HEALTH_CHECK_FAILED',
  'EXPECT_MISMATCH',
  // the deploy ran, then the version-report command named no version: not a success
  'VERSION_UNKNOWN',
  // the host's state is unknown: the agent stopped mid-deploy
  'AGENT_SHUTDOWN',
  'AGENT_RESTARTED',
  // the agent could not record the request (replay id, journal) in its state directory, so it
  // did not run it: no space (ENOSPC, EDQUOT), or another write error (EROFS, EIO, …)
  'DISK_FULL',
  'STATE_UNWRITABLE',
  // releases: the fetched bytes are not the signed digest (the receipt carries both)
  'ARTIFACT_MISMATCH',
  // the artifact could not be fetched: no url, unreachable, too slow, larger than declared
  'ARTIFACT_UNAVAILABLE',
  // the tarball holds an entry that would land outside its release directory, or a device file
  'ARTIFACT_UNSAFE',
  // a before/after hook of the release failed or ran out of time
  'HOOK_FAILED',
  // the request named an artifact and the app has no release config to deploy it with
  'ARTIFACT_UNSUPPORTED',
  // the app deploys releases only, and the request named no artifact to verify
  'ARTIFACT_REQUIRED',
] as const;
export type RunCode = (typeof RUN_CODES)[number];

/** Every code a signed receipt's `reason` may carry: a refusal or a run outcome. */
export const RECEIPT_REASONS = [...ADMISSION_CODES, ...RUN_CODES] as const;
export type ReceiptReason = (typeof RECEIPT_REASONS)[number];

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
  'TRUST_NO_KEYRING',
] as const;
export type TrustCode = (typeof TRUST_CODES)[number];

/** Why the trust an agent or hub holds cannot judge a deploy right now (freeze-attack defence). */
export const TRUST_HEALTH_CODES = ['NO_KEYRING', 'ROOT_EXPIRED', 'KEYRING_EXPIRED'] as const;
export type TrustHealthCode = (typeof TRUST_HEALTH_CODES)[number];

/** Why a client does not believe what a host signed (receipt, check answer) or the key it signed with. */
export const ANSWER_CODES = [
  'HOST_KEY_UNKNOWN',
  'WRONG_HOST',
  'WRONG_REQUEST',
  'WRONG_CHECK',
  // a check answer signed outside its request's window
  'ANSWER_OUTSIDE_WINDOW',
  // a host the client knows the target names, that the hub did not ask or report
  'WITHHELD',
  // the agent key's evidence (operator approval, or grant plus hello) does not hold
  'AGENT_KEY_MISMATCH',
  'EVIDENCE_MISMATCH',
  'GRANT_EXPIRED',
  // a host's receipt chain has a gap, a fork, a reordering or hides its newest receipt
  'CHAIN_BROKEN',
  // the hub's audit chain does not extend the head this client saw last: rebuilt or forked
  'AUDIT_FORKED',
  // the hub served this client its audit head before and now withholds it, or the rows after it
  'AUDIT_WITHHELD',
  // a host an operator vouched for (the client's roster) whose approval the hub no longer presents
  'APPROVAL_DISAPPEARED',
  // what the hub says of a proposal does not hold: "submitted" with no such deployment, or another payload
  'PROPOSAL_MISMATCH',
] as const;
export type AnswerCode = (typeof ANSWER_CODES)[number];

/** Errors the hub answers in acknowledgements, and the outcomes it records without a receipt. */
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
  // the hub's database cannot be reached: nothing was stored, retrying later is safe
  'STORAGE_UNAVAILABLE',
  'INTERNAL',
  // a newer request for the same app reached the host first; the older one never ran
  'SUPERSEDED',
  // a hello signed at a time too far from the hub's: the agent's clock is off
  'CLOCK_SKEW',
  // a co-signature by a key that already signed the proposal
  'ALREADY_SIGNED',
] as const;
export type HubCode = (typeof HUB_CODES)[number];

/** Why an agent cannot use its state directory. */
export const STATE_CODES = [
  'STATE_DIR_UNWRITABLE',
  'STATE_FILE_CORRUPT',
  'STATE_KEY_EXPOSED',
] as const;
export type StateCode = (typeof STATE_CODES)[number];

/** Why an operator's key file cannot be used. */
export const KEY_FILE_CODES = [
  'KEYFILE_MALFORMED',
  'KEYFILE_UNSUPPORTED',
  'WRONG_PASSPHRASE',
  'KEYFILE_KEY_MISMATCH',
] as const;
export type KeyFileCode = (typeof KEY_FILE_CODES)[number];

/**
 * Why an operator's client refuses input before anything is signed (the CLI and the
 * dashboard alike, through packages/client); these never cross the wire.
 */
export const INPUT_CODES = [
  'BAD_APP',
  'BAD_SELECTOR',
  'BAD_HOSTS',
  'TARGET_AMBIGUOUS',
  'TARGET_REQUIRED',
  'BAD_DURATION',
  'BAD_AMOUNT',
  'LIFETIME_TOO_LONG',
  'BAD_OPTION',
  // approving an agent's key: the operator's own word for its fingerprint
  'FINGERPRINT_REQUIRED',
  'FINGERPRINT_MISMATCH',
  // typos caught before signing: names the hub's fleet does not know
  'UNKNOWN_HOST',
  'UNKNOWN_APP',
] as const;
export type InputCode = (typeof INPUT_CODES)[number];

/** Why a rollout's released step cannot be driven. */
export const ROLLOUT_CODES = ['STEP_MISMATCH', 'STEP_MISSING'] as const;
export type RolloutCode = (typeof ROLLOUT_CODES)[number];

export const CODE_GROUPS = {
  admission: ADMISSION_CODES,
  run: RUN_CODES,
  trust: TRUST_CODES,
  trustHealth: TRUST_HEALTH_CODES,
  answer: ANSWER_CODES,
  hub: HUB_CODES,
  state: STATE_CODES,
  keyFile: KEY_FILE_CODES,
  rollout: ROLLOUT_CODES,
  input: INPUT_CODES,
} as const;

export const ERROR_CODES: readonly ErrorCode[] = Object.values(CODE_GROUPS).flat();
export type ErrorCode =
  | AdmissionCode
  | RunCode
  | TrustCode
  | TrustHealthCode
  | AnswerCode
  | HubCode
  | StateCode
  | KeyFileCode
  | RolloutCode
  | InputCode;

/** A verdict that refuses: a code for machines, a detail for people. */
export interface Refusal<C extends ErrorCode = ErrorCode> {
  ok: false;
  code: C;
  detail: string;
}
