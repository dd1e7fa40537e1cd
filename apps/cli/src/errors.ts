/**
 * Exit codes are the CLI's contract with scripts and CI pipelines:
 * 0 all good; 1 a host failed, mismatched, was unreachable or answered unverifiably;
 * 2 the input was wrong (nothing was signed or sent); 3 the hub refused (its code is printed).
 */
export const EXIT = { ok: 0, hosts: 1, usage: 2, refused: 3 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** An error meant for people: a stable code, a message, and the exit code it maps to. */
export class CliError extends Error {
  constructor(
    readonly exitCode: ExitCode,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export const usageError = (code: string, message: string): CliError =>
  new CliError(EXIT.usage, code, message);

export const hubRefusal = (code: string, message: string): CliError =>
  new CliError(EXIT.refused, code, message);

/** Something about the fleet is not right (failed, unreachable, unverified). */
export const fleetError = (code: string, message: string): CliError =>
  new CliError(EXIT.hosts, code, message);
