import type { CommandUnknownOpts } from '@commander-js/extra-typings';
import { describe, expect, it } from 'vitest';
import { buildProgram } from './program.js';

function leaves(cmd: CommandUnknownOpts, path: string[] = []): [string, CommandUnknownOpts][] {
  const subs = cmd.commands.filter((c) => c.name() !== 'help');
  if (subs.length === 0) return [[path.join(' '), cmd]];
  return subs.flatMap((c) => leaves(c as CommandUnknownOpts, [...path, c.name()]));
}

describe('help', () => {
  const program = buildProgram() as unknown as CommandUnknownOpts;

  it.each(leaves(program))('%s --help has a description and examples', (_name, cmd) => {
    let text = '';
    cmd.configureOutput({ writeOut: (s) => (text += s), writeErr: (s) => (text += s) });
    cmd.outputHelp();
    expect(cmd.description().length).toBeGreaterThan(10);
    expect(text).toContain('Examples:');
    expect(text).toContain('$ serfbort ');
  });
});
