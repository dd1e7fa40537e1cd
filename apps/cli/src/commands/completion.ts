import type { Command, CommandUnknownOpts } from '@commander-js/extra-typings';
import { Argument } from '@commander-js/extra-typings';
import { completionScript, SHELLS } from '../completion/scripts.js';
import { completionNodes } from '../completion/tree.js';
import { examples } from './context.js';

/** `completion SHELL`: a script generated from this very command tree, printed on stdout. */
export function registerCompletion(program: Command): void {
  const cmd = program
    .command('completion')
    .description(
      'print a shell completion script for bash, zsh or fish (see the README to install it)',
    )
    .addArgument(new Argument('<shell>', 'the shell').choices(SHELLS))
    .action((shell) => {
      const nodes = completionNodes(program as unknown as CommandUnknownOpts);
      process.stdout.write(completionScript(shell, program.name(), nodes));
    });
  examples(cmd, [
    'source <(serfbort completion bash)        # in ~/.bashrc',
    'source <(serfbort completion zsh)         # in ~/.zshrc, after compinit',
    'serfbort completion fish > ~/.config/fish/completions/serfbort.fish',
  ]);
}
