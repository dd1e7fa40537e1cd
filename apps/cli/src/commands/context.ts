import type { CommandUnknownOpts } from '@commander-js/extra-typings';
import { usageError } from '../errors.js';

export { splitList } from '../config/split-list.js';
// What command modules share. The context and list parsing live below commands/
// (../context.ts, ../config/split-list.ts) so that deploy/, rollout/, hub/, trust/ and
// prompt/ can use them without importing the commands that use them.
export type { Ctx } from '../context.js';
export { contextOf } from '../context.js';

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
