import { LOG_LEVELS } from '@serfbort/node';
import { Command, Option } from 'commander';
import { startAgent } from './agent.js';
import { initCommand } from './cli/init.js';
import { statusCommand } from './cli/status.js';
import type { ConfigFlags } from './config/load.js';
import { ConfigError, loadConfig } from './config/load.js';
import { createLogger } from './log.js';
import { signalAllGroups } from './runner/child-groups.js';
import { StateError } from './state/state-dir.js';
import { AGENT_VERSION } from './version.js';

/** Errors people can act on are printed as one line; anything else is a bug and says so. */
function fail(e: unknown): never {
  if (e instanceof ConfigError) {
    process.stderr.write(`serfbort-agent: ${e.message}\n`);
    process.exit(2);
  }
  if (e instanceof StateError) {
    process.stderr.write(`serfbort-agent: ${e.code}: ${e.message}\n`);
    process.exit(1);
  }
  process.stderr.write(`serfbort-agent: unexpected error: ${(e as Error)?.message ?? String(e)}\n`);
  process.exit(1);
}

interface GlobalOptions extends Omit<ConfigFlags, 'hub' | 'labels'> {
  config?: string;
  hub?: string[];
  label?: string[];
  root?: string;
}

function flagsOf(o: GlobalOptions): ConfigFlags {
  return {
    ...(o.hub ? { hub: o.hub } : {}),
    ...(o.name ? { name: o.name } : {}),
    ...(o.label ? { labels: o.label } : {}),
    ...(o.stateDir ? { stateDir: o.stateDir } : {}),
    ...(o.root ? { rootFile: o.root } : {}),
    ...(o.rootFingerprint ? { rootFingerprint: o.rootFingerprint } : {}),
    ...(o.logLevel ? { logLevel: o.logLevel } : {}),
  };
}

const program = new Command()
  .name('serfbort-agent')
  .description('Runs signed deploys on this host and answers with signed receipts.')
  .version(AGENT_VERSION, '-V, --version')
  .option('-c, --config <path>', 'YAML config file (env SERFBORT_AGENT_CONFIG)')
  .option('--state-dir <dir>', 'state directory (env SERFBORT_STATE_DIR)')
  .option('--name <name>', 'host name (env SERFBORT_AGENT_NAME; default: hostname)')
  .showHelpAfterError();

const globals = (cmd: Command): GlobalOptions => cmd.optsWithGlobals() as GlobalOptions;
const collect = (v: string, prev: string[] = []) => [...prev, v];

program
  .command('init')
  .description('create the agent key pair and print what an operator does to approve it')
  .action((_o, cmd: Command) => {
    try {
      const o = globals(cmd);
      initCommand(
        loadConfig({ ...(o.config ? { path: o.config } : {}), flags: flagsOf(o), localOnly: true }),
        (l) => process.stdout.write(`${l}\n`),
      );
    } catch (e) {
      fail(e);
    }
  });

program
  .command('status')
  .description('local state: trust versions and expiry, last applied per app, receipts waiting')
  .action((_o, cmd: Command) => {
    try {
      const o = globals(cmd);
      const r = statusCommand(
        loadConfig({ ...(o.config ? { path: o.config } : {}), flags: flagsOf(o), localOnly: true }),
        (l) => process.stdout.write(`${l}\n`),
      );
      process.exitCode = r.trustUsable ? 0 : 3;
    } catch (e) {
      fail(e);
    }
  });

program
  .command('run')
  .description('connect to the hub and serve deploys')
  .option(
    '--hub <url>',
    'hub URL; repeat for fallbacks (env SERFBORT_HUB, comma-separated)',
    collect,
  )
  .option(
    '--label <label>',
    'label like role=web or canary; repeatable (env SERFBORT_LABELS)',
    collect,
  )
  .option('--root <file>', 'pinned root document (env SERFBORT_TRUST_ROOT)')
  .option('--root-fingerprint <sha256>', 'pinned root fingerprint (env SERFBORT_ROOT_FINGERPRINT)')
  .addOption(
    new Option('--log-level <level>', 'log level (env SERFBORT_LOG_LEVEL)').choices(LOG_LEVELS),
  )
  .action(async (_o, cmd: Command) => {
    try {
      const o = globals(cmd);
      const config = loadConfig({ ...(o.config ? { path: o.config } : {}), flags: flagsOf(o) });
      const logger = createLogger({ level: config.logLevel, name: config.name });
      const agent = await startAgent(config, { logger });
      let signals = 0;
      const onSignal = (signal: NodeJS.Signals) => {
        // a second signal means "now": the journal reports the deploy as interrupted after restart
        if (++signals > 1) process.exit(130);
        logger.info({ event: 'agent.signal', signal }, 'shutting down');
        void agent.stop().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.on('SIGTERM', onSignal);
      process.on('SIGINT', onSignal);
      // however the agent ends, nothing it started may outlive it (deploys in flight were
      // already asked to stop with their grace; what is left is killed now)
      process.on('exit', () => signalAllGroups('SIGKILL'));
      const onFatal = (error: unknown) => {
        logger.fatal({ event: 'agent.fatal', err: error }, 'fatal error; stopping');
        process.exit(1);
      };
      process.on('uncaughtException', onFatal);
      process.on('unhandledRejection', onFatal);
    } catch (e) {
      fail(e);
    }
  });

program.parseAsync(process.argv).catch(fail);
