import type { CommandUnknownOpts } from '@commander-js/extra-typings';

export interface Word {
  word: string;
  description: string;
}

/** One command of the tree as completion sees it: where it is, what may follow it. */
export interface CompletionNode {
  /** subcommand words from the program down, '' for the program itself */
  path: string;
  commands: Word[];
  options: Word[];
  /** options whose next word is a value (a file, a name): completed as a file name */
  valueOptions: string[];
}

const firstLine = (text: string): string => text.split('\n')[0] ?? '';

/**
 * The command tree commander already holds, flattened: completion scripts are generated from
 * it, so a new command or option completes without anyone editing a script.
 */
export function completionNodes(program: CommandUnknownOpts): CompletionNode[] {
  const nodes: CompletionNode[] = [];
  const inherited = program.options;
  const visit = (cmd: CommandUnknownOpts, path: string[]) => {
    const subs = cmd.commands.filter((c) => c.name() !== 'help') as CommandUnknownOpts[];
    // global options (--hub, --key …) are accepted after any subcommand too
    const options = path.length === 0 ? cmd.options : [...cmd.options, ...inherited];
    nodes.push({
      path: path.join(' '),
      commands: subs.map((c) => ({ word: c.name(), description: firstLine(c.description()) })),
      options: options.flatMap((o) =>
        [o.short, o.long]
          .filter((f): f is string => f !== undefined)
          .map((word) => ({ word, description: firstLine(o.description) })),
      ),
      valueOptions: options
        .filter((o) => o.required || o.optional)
        .flatMap((o) => [o.short, o.long].filter((f): f is string => f !== undefined)),
    });
    for (const sub of subs) visit(sub, [...path, sub.name()]);
  };
  visit(program, []);
  return nodes;
}
