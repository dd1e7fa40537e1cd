import { LOG_LEVELS } from '@serfbort/node';
import { Command, Option } from 'commander';
import { auditVerifyCommand } from './audit/verify-command.js';
import { refuseDatabaseUrlFlag } from './config/database-url.js';
import type { HubFlags } from './config/env.js';
import { ENV_HELP, hubConfigFrom } from './config/env.js';
import { HUB_VERSION } from './config/version.js';
import { startHub } from './hub.js';

/** Accepted only to refuse it with the way that works: a URL on the command line shows its password in ps. */
const refusedDatabaseUrl = () =>
  new Option('--database-url <url>', 'refused: use DATABASE_URL or --database-url-file').hideHelp();

function hubOptions(command: Command): Command {
  return command
    .option('-c, --config <file>', 'YAML or JSON config file (flags and environment win over it)')
    .option('-p, --port <port>', 'port to listen on (0 picks one)')
    .option('--host <address>', 'address to bind')
    .option('-d, --data <dir>', 'embedded database directory')
    .option(
      '--database-url-file <file>',
      'a file holding the PostgreSQL URL (or DATABASE_URL in the environment; never on the command line)',
    )
    .addOption(refusedDatabaseUrl())
    .option('--origins <list>', 'dashboard origins allowed by CORS, comma-separated')
    .option('--tls-cert <file>', 'PEM certificate (with --tls-key) to serve https/wss')
    .option('--tls-key <file>', 'PEM private key')
    .option('--hub-id <id>', 'the id agents sign into their hello')
    .option('--node-name <name>', "this process's name among hubs sharing a database")
    .option('--redis-url <url>', 'redis://… : one of several hubs sharing one PostgreSQL database')
    .option('--redis-prefix <prefix>', 'Redis stream/channel prefix of this fleet')
    .option('--webhooks-file <file>', 'JSON file of webhook endpoints to post events to')
    .addOption(new Option('--log-level <level>', 'log level').choices(LOG_LEVELS));
}

async function run(flags: HubFlags & { databaseUrl?: string }): Promise<void> {
  refuseDatabaseUrlFlag(flags.databaseUrl);
  const hub = await startHub(hubConfigFrom(flags));
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) process.exit(130);
    stopping = true;
    hub.close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(
          `serfbort-hub: shutdown after ${signal} failed: ${err instanceof Error ? err.message : String(err)}`,
        );
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

const program = new Command('serfbort-hub')
  .description(
    'serfbort hub: relays signed deploy requests to agents and their signed receipts back',
  )
  .version(HUB_VERSION)
  .addHelpText('after', `\n${ENV_HELP}`);

hubOptions(
  program.command('run', { isDefault: true }).description('run the hub (the default command)'),
).action((flags: HubFlags & { databaseUrl?: string }) => run(flags));

const audit = program.command('audit').description('the hash-chained audit log');
audit
  .command('verify')
  .description('verify the chain; exit 1 and name the first broken row if it does not verify')
  .option('-d, --data <dir>', 'embedded database directory (the hub must not be running on it)')
  .option('--database-url-file <file>', 'a file holding the PostgreSQL URL (or DATABASE_URL)')
  .addOption(refusedDatabaseUrl())
  .option('--json', 'print the verdict as JSON')
  .action(
    async (flags: {
      data?: string;
      databaseUrlFile?: string;
      databaseUrl?: string;
      json?: boolean;
    }) => {
      refuseDatabaseUrlFlag(flags.databaseUrl);
      const config = hubConfigFrom({
        ...(flags.data ? { data: flags.data } : {}),
        ...(flags.databaseUrlFile ? { databaseUrlFile: flags.databaseUrlFile } : {}),
      });
      const target = config.databaseUrl
        ? { databaseUrl: config.databaseUrl }
        : { dataDir: config.dataDir! };
      process.exitCode = await auditVerifyCommand(target, flags.json === true);
    },
  );

program.parseAsync().catch((err: unknown) => {
  console.error(`serfbort-hub: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
