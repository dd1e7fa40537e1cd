import { Command, Option } from '@commander-js/extra-typings';
import { registerAgents } from './commands/agents.js';
import { registerAttest } from './commands/attest.js';
import { registerAudit } from './commands/audit.js';
import { registerCheck } from './commands/check.js';
import { registerCompletion } from './commands/completion.js';
import { examples } from './commands/context.js';
import { registerDeploy } from './commands/deploy.js';
import { registerHistory } from './commands/history.js';
import { registerKey } from './commands/key.js';
import { registerList } from './commands/list.js';
import { registerPending } from './commands/pending.js';
import { registerRollout } from './commands/rollout.js';
import { registerSign } from './commands/sign.js';
import { registerTrust } from './commands/trust.js';
import { registerWatch } from './commands/watch.js';

export const CLI_VERSION = '0.1.0';

export function buildProgram(): Command {
  const program = new Command()
    .name('serfbort')
    .description(
      'serfbort operator CLI: sign deploys locally, relay them through a hub, verify every answer',
    )
    .version(CLI_VERSION)
    .addOption(
      new Option(
        '--hub <urls>',
        'hub URL, or a comma list tried in order (env SERFBORT_HUB; default http://127.0.0.1:7700)',
      ),
    )
    .addOption(
      new Option(
        '--key <path>',
        'operator key file (env SERFBORT_KEY; default $XDG_CONFIG_HOME/serfbort/operator.key.json, ~/.config without XDG_CONFIG_HOME)',
      ),
    )
    .addOption(
      new Option(
        '--root <path>',
        'pinned root document, the trust anchor (env SERFBORT_ROOT; default $XDG_CONFIG_HOME/serfbort/root.json)',
      ),
    )
    .addOption(
      new Option(
        '--passphrase-file <path>',
        'read key passphrases from this file (else SERFBORT_PASSPHRASE, else a prompt)',
      ),
    )
    .addOption(
      new Option(
        '--viewer-token-file <path>',
        "the hub's viewer token: list, watch, rollout list/show, lock status and agents pending need no key (else SERFBORT_VIEWER_TOKEN)",
      ),
    )
    .addOption(
      new Option('--no-color', 'no colours (also: NO_COLOR, or output that is not a terminal)'),
    )
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  program.addHelpText(
    'after',
    `
Configuration: flags > environment > $XDG_CONFIG_HOME/serfbort/config.json (~/.config/serfbort without
XDG_CONFIG_HOME; or the file SERFBORT_CONFIG names), e.g.
  { "hub": ["https://hub-a:7700", "https://hub-b:7700"], "key": "~/keys/me.key.json", "root": "/etc/serfbort/root.json" }
Watching without a key: set SERFBORT_VIEWER_TOKEN (or "viewerTokenFile" in config.json) and pin the root;
read-only commands then log in as a viewer and verify every answer here, as an operator's would.

Exit codes: 0 all good; 1 a host failed, mismatched, was unreachable or answered unverifiably (or no hub
answered); 2 usage or input error, nothing signed; 3 refused by the hub (its code is printed); 4 internal
error (a bug: SERFBORT_DEBUG=1 prints where). Output piped into a reader that stops (| head) ends quietly.`,
  );
  registerKey(program);
  registerTrust(program);
  registerAgents(program);
  registerDeploy(program);
  registerSign(program);
  registerPending(program);
  registerAttest(program);
  registerWatch(program);
  registerCheck(program);
  registerList(program);
  registerHistory(program);
  registerAudit(program);
  registerRollout(program);
  registerCompletion(program);
  examples(program, [
    "serfbort deploy shop v1.4.2 -l 'role=web,!canary'",
    'serfbort check shop v1.4.2 --hosts weba,webb',
    'serfbort list -l dc=ams',
  ]);
  // every subcommand exits through main's handler, so exit codes stay ours
  for (const cmd of program.commands) {
    cmd.exitOverride();
    for (const sub of cmd.commands) sub.exitOverride();
  }
  return program;
}
