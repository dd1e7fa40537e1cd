import { admissionFromEnv } from './admission.js';
import type { HubConfigInput } from './config.js';
import { databaseUrlFrom } from './database-url.js';
import type { HubFile } from './file.js';
import { firstLineOf, loadHubFile } from './file.js';
import { loadWebhooksFile, resolveWebhooks } from './webhooks.js';

/** Flags as commander hands them over; every one optional. */
export interface HubFlags {
  /** a YAML or JSON config file (config/file.ts); flags and the environment win over it */
  config?: string;
  port?: string;
  host?: string;
  data?: string;
  /** a file holding the PostgreSQL URL (the URL itself is never a flag: see database-url.ts) */
  databaseUrlFile?: string;
  origins?: string;
  tlsCert?: string;
  tlsKey?: string;
  hubId?: string;
  nodeName?: string;
  logLevel?: string;
  redisUrl?: string;
  redisPrefix?: string;
  /** a JSON file of webhook endpoints (config/webhooks.ts) */
  webhooksFile?: string;
}

export const ENV_HELP = `Environment (flags win; both win over the --config file):
  SERFBORT_HUB_CONFIG     a YAML or JSON config file (or --config; README, Installing on real hosts)
  SERFBORT_HUB_PORT       port to listen on (default 7700; 0 picks one)
  SERFBORT_HUB_HOST       address to bind (default 127.0.0.1)
  SERFBORT_HUB_DATA       embedded database directory (default ./serfbort-hub-data)
  DATABASE_URL            postgres://… to use PostgreSQL instead of the embedded database
                          (never a flag: a URL on the command line shows its password in ps)
  DATABASE_URL_FILE       a file whose first line is that URL (or --database-url-file)
  SERFBORT_HUB_ORIGINS    dashboard origins allowed by CORS, comma-separated
                          (default http://localhost:3000,http://127.0.0.1:3000)
  SERFBORT_TLS_CERT       PEM certificate file, with SERFBORT_TLS_KEY, to serve https/wss
  SERFBORT_TLS_KEY        PEM private key file
  SERFBORT_VIEWER_TOKEN   read-only token for viewers and the JSON API (16+ characters)
  SERFBORT_HUB_ID         the id agents sign into their hello (default: made once, kept)
  SERFBORT_HUB_NODE       this process's name among hubs sharing a database
  SERFBORT_LOG_LEVEL      fatal|error|warn|info|debug|trace|silent (default info)
  SERFBORT_REDIS_URL      redis://… : run as one of several hubs sharing DATABASE_URL
  SERFBORT_REDIS_PREFIX   Redis stream/channel prefix shared by one fleet's hubs (default serfbort)
  SERFBORT_HUB_HEARTBEAT_MS  ms between node heartbeats; 3 missed = node dead (default 5000)
  SERFBORT_HUB_WEBHOOKS   a JSON file of webhook endpoints (or --webhooks-file; README, Webhooks)
Admission before approval, per source address (README, Operations):
  SERFBORT_HUB_CONNECTIONS_PER_SECOND  new connections per second (default 20)
  SERFBORT_HUB_CONNECTION_BURST        new connections at once (default 200)
  SERFBORT_HUB_UNKNOWN_HELLOS_PER_SECOND  hellos of unapproved keys per second (default 1)
  SERFBORT_HUB_UNKNOWN_HELLO_BURST     hellos of unapproved keys at once (default 20)
  SERFBORT_HUB_PENDING_PER_ADDRESS     keys awaiting approval per address (default 50)
  SERFBORT_HUB_PENDING_TOTAL           keys awaiting approval in all (default 10000)
  SERFBORT_HUB_PENDING_TTL_MS          ms a silent pending key is kept (default 3600000)`;

const list = (text: string | undefined) =>
  text
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/**
 * The one place that reads the environment and the config file: flags override
 * variables, variables override the file, and the result is validated by the config
 * schema in startHub.
 */
export function hubConfigFrom(
  flags: HubFlags,
  env: NodeJS.ProcessEnv = process.env,
): HubConfigInput {
  const configPath = flags.config ?? env.SERFBORT_HUB_CONFIG;
  const file: HubFile = configPath ? loadHubFile(configPath) : {};
  const port = flags.port ?? env.SERFBORT_HUB_PORT ?? file.port;
  const databaseUrl = databaseUrlFrom(flags.databaseUrlFile ?? file.databaseUrlFile, env);
  const cert = flags.tlsCert ?? env.SERFBORT_TLS_CERT ?? file.tls?.cert;
  const key = flags.tlsKey ?? env.SERFBORT_TLS_KEY ?? file.tls?.key;
  if ((cert === undefined) !== (key === undefined))
    throw new Error('hub configuration: TLS needs both a certificate and a key');
  const origins = list(flags.origins ?? env.SERFBORT_HUB_ORIGINS) ?? file.origins;
  const config: HubConfigInput = {
    port: port === undefined ? 7700 : Number(port),
    host: flags.host ?? env.SERFBORT_HUB_HOST ?? file.host ?? '127.0.0.1',
    logLevel: (flags.logLevel ??
      env.SERFBORT_LOG_LEVEL ??
      file.logLevel ??
      'info') as HubConfigInput['logLevel'],
  };
  if (databaseUrl) config.databaseUrl = databaseUrl;
  else
    config.dataDir = flags.data ?? env.SERFBORT_HUB_DATA ?? file.dataDir ?? './serfbort-hub-data';
  if (origins) config.origins = origins;
  if (cert && key) config.tls = { cert, key };
  const viewerToken =
    env.SERFBORT_VIEWER_TOKEN ||
    (file.viewerTokenFile ? firstLineOf(file.viewerTokenFile, 'viewer token') : undefined);
  if (viewerToken) config.viewerToken = viewerToken;
  const hubId = flags.hubId ?? env.SERFBORT_HUB_ID ?? file.hubId;
  if (hubId) config.hubId = hubId;
  const nodeName = flags.nodeName ?? env.SERFBORT_HUB_NODE ?? file.nodeName;
  if (nodeName) config.nodeName = nodeName;
  // not the generic REDIS_URL: a Redis meant for something else must never make
  // unrelated hubs talk to each other
  const redisUrl =
    flags.redisUrl ??
    env.SERFBORT_REDIS_URL ??
    (file.redisUrlFile ? firstLineOf(file.redisUrlFile, 'Redis URL') : undefined);
  if (redisUrl) config.redisUrl = redisUrl;
  const redisPrefix = flags.redisPrefix ?? env.SERFBORT_REDIS_PREFIX ?? file.redisPrefix;
  if (redisPrefix) config.redisPrefix = redisPrefix;
  const heartbeat = env.SERFBORT_HUB_HEARTBEAT_MS ?? file.heartbeatMs;
  if (heartbeat !== undefined) config.heartbeatMs = Number(heartbeat);
  const webhooksFile = flags.webhooksFile ?? env.SERFBORT_HUB_WEBHOOKS ?? file.webhooksFile;
  if (webhooksFile) config.webhooks = loadWebhooksFile(webhooksFile, env);
  else if (file.webhooks !== undefined)
    config.webhooks = resolveWebhooks(file.webhooks, env, `${configPath}: webhooks`);
  const admission = { ...file.admission, ...admissionFromEnv(env) };
  if (Object.keys(admission).length > 0) config.admission = admission;
  return config;
}
