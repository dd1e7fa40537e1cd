import pc from 'picocolors';
import type { CliConfig } from '../config/config.js';

export type Colors = ReturnType<typeof pc.createColors>;

/**
 * Where text goes: results on stdout (what a script reads), everything for people
 * (notes, warnings, progress) on stderr. With --json, stdout carries one JSON document only.
 */
export class Output {
  readonly c: Colors;
  readonly e: Colors;
  readonly stderrIsTty: boolean;

  constructor(
    config: Pick<CliConfig, 'colorOut' | 'colorErr'>,
    readonly json = false,
  ) {
    this.c = pc.createColors(config.colorOut);
    this.e = pc.createColors(config.colorErr);
    this.stderrIsTty = process.stderr.isTTY === true;
  }

  /** a result line for people; suppressed with --json */
  line(text = ''): void {
    if (!this.json) process.stdout.write(`${text}\n`);
  }

  /** the machine-readable result */
  document(value: unknown): void {
    process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  note(text: string): void {
    process.stderr.write(`${text}\n`);
  }

  warn(text: string): void {
    process.stderr.write(`${this.e.yellow(this.e.bold('warning:'))} ${text}\n`);
  }

  /** loud: something a person must not miss */
  alarm(text: string): void {
    process.stderr.write(`${this.e.red(this.e.bold('!!'))} ${this.e.red(text)}\n`);
  }

  error(code: string, text: string): void {
    process.stderr.write(
      `${this.e.red(this.e.bold('error'))} ${this.e.dim(`[${code}]`)} ${text}\n`,
    );
  }
}
