/**
 * Exit codes are the CLI's contract with scripts and CI pipelines:
 * 0 all good; 1 a host failed, mismatched, was unreachable or answered unverifiably;
 * 2 the input was wrong (nothing was signed or sent); 3 the hub refused (its code is printed);
 * 4 an internal error: something the CLI did not expect (a bug to report, with SERFBORT_DEBUG=1).
 */
export const EXIT = { ok: 0, hosts: 1, usage: 2, refused: 3, internal: 4 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

import type { ErrorCode } from '@serfbort/core';

/** Codes only the CLI gives (input it cannot use, the hub it cannot reach); everything else is core's. */
export const CLI_CODES = [
  // options and arguments
  'BAD_NUMBER',
  'BAD_REQUEST_ID',
  'BAD_ROLLOUT',
  'BAD_PLAN',
  'BAD_THRESHOLD',
  'BAD_HUB_URL',
  'BAD_PUBLIC_KEY',
  'AMBIGUOUS',
  'CANCELLED',
  'CONFIRMATION_REQUIRED',
  // files and configuration
  'CONFIG_INVALID',
  'CONFIG_NOT_FOUND',
  'FILE_EXISTS',
  'FILE_INVALID',
  'FILE_NOT_FOUND',
  // keys, passphrases and the keyring being edited
  'KEY_EXISTS',
  'KEY_NOT_FOUND',
  'KEY_NOT_LISTED',
  'KEY_REQUIRED',
  'TOO_MANY_KEYS',
  'PASSPHRASE_EMPTY',
  'PASSPHRASE_FILE_UNREADABLE',
  'PASSPHRASE_MISMATCH',
  'PASSPHRASE_REQUIRED',
  'OPERATOR_EXISTS',
  'OPERATOR_NOT_FOUND',
  'NOT_PENDING',
  // the hub, as the CLI reaches it
  'HUB_UNREACHABLE',
  'HUB_TIMEOUT',
  'HUB_LOST',
  // the client's own memory of a hub's vouched-for hosts
  'ROSTER_DAMAGED',
  'NOT_ROSTERED',
] as const;
export type CliOnlyCode = (typeof CLI_CODES)[number];
export type CliCode = ErrorCode | CliOnlyCode;

/** An error meant for people: a stable code, a message, and the exit code it maps to. */
export class CliError extends Error {
  constructor(
    readonly exitCode: ExitCode,
    readonly code: CliCode,
    message: string,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export const usageError = (code: CliCode, message: string): CliError =>
  new CliError(EXIT.usage, code, message);

export const hubRefusal = (code: CliCode, message: string): CliError =>
  new CliError(EXIT.refused, code, message);

/** Something about the fleet is not right (failed, unreachable, unverified). */
export const fleetError = (code: CliCode, message: string): CliError =>
  new CliError(EXIT.hosts, code, message);
