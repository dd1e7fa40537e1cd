import type { CommandUnknownOpts } from '@commander-js/extra-typings';
import type { CliConfig, GlobalFlags } from '../config/config.js';
import { loadConfig } from '../config/config.js';
import { usageError } from '../errors.js';
import { Output } from '../output/output.js';

/** What every command action starts from: the merged configuration and the output channels. */
export interface Ctx {
  config: CliConfig;
  out: Output;
  now: () => number;
}

export function contextOf(cmd: CommandUnknownOpts, json = false): Ctx {
  const config = loadConfig(cmd.optsWithGlobals() as GlobalFlags);
  return { config, out: new Output(config, json), now: () => Date.now() };
}

/** Examples shown at the end of `--help`. */
export function examples(cmd: CommandUnknownOpts, lines: string[]): void {
  cmd.addHelpText('after', `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`);
}

/** commander's collector for repeatable options */
export const collect = (value: string, previous: string[]): string[] => [...previous, value];

export function positiveInt(text: string, what: string): number {
  if (!/^\d{1,4}$/.test(text) || Number(text) < 1)
    throw usageError('BAD_NUMBER', `${what}: expected a whole number from 1, found '${text}'`);
  return Number(text);
}

export const splitList = (text: string): string[] =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
