import { CommanderError } from '@commander-js/extra-typings';
import { debugEnabled } from './config/config.js';
import { CliError, EXIT } from './errors.js';
import { exitQuietlyOnClosedPipe } from './output/closed-pipe.js';
import { terminalSafe } from './output/terminal-safe.js';
import { buildProgram } from './program.js';

function report(code: string, message: string, exitCode: number): void {
  // a refusal's code and message can be the hub's words: through the terminal gate
  process.stderr.write(`error [${terminalSafe(code)}] ${terminalSafe(message)}\n`);
  // a machine asked for JSON: it gets the failure as JSON too
  if (process.argv.includes('--json'))
    process.stdout.write(`${JSON.stringify({ error: { code, message }, exitCode }, null, 2)}\n`);
}

/**
 * An id made before ids stopped beginning with a dash reads as an unknown option: say how
 * to pass it (after `--`, where nothing is an option).
 */
function hintIdAfterDashes(e: CommanderError): void {
  if (e.code !== 'commander.unknownOption') return;
  const unknown = /unknown option '(-[A-Za-z0-9_-]{7,63})'/.exec(e.message)?.[1];
  if (!unknown || unknown.startsWith('--')) return;
  process.stderr.write(
    `if ${terminalSafe(unknown)} is an id, pass it after \`--\`, e.g. \`serfbort rollout show -- ${terminalSafe(unknown)}\`\n`,
  );
}

async function main(): Promise<number> {
  try {
    await buildProgram().parseAsync(process.argv);
    return process.exitCode === undefined ? EXIT.ok : Number(process.exitCode);
  } catch (e) {
    if (e instanceof CommanderError) {
      hintIdAfterDashes(e);
      // --help and --version end here too, with exit code 0
      return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (e instanceof CliError) {
      report(e.code, e.message, e.exitCode);
      return e.exitCode;
    }
    return internal(e);
  }
}

/** Anything the CLI did not expect: its own exit code, so a script never reads a bug as a failed host. */
function internal(e: unknown): number {
  const message = e instanceof Error ? e.message : String(e);
  report(
    'INTERNAL',
    `unexpected error (a bug; SERFBORT_DEBUG=1 shows where): ${message}`,
    EXIT.internal,
  );
  if (debugEnabled() && e instanceof Error) process.stderr.write(`${e.stack}\n`);
  return EXIT.internal;
}

exitQuietlyOnClosedPipe();
// a throw in an event handler escapes main's try: it still ends as an internal error
process.on('uncaughtException', (e) => process.exit(internal(e)));
process.on('unhandledRejection', (e) => process.exit(internal(e)));
main().then((code) => {
  process.exitCode = code;
  // open sockets or a paused stdin must not keep a finished command alive
  setImmediate(() => process.exit(code));
});
