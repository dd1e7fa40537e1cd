import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Server as HttpServer } from 'node:http';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Server } from 'socket.io';
import { HostProblems } from './agents/host-problems.js';
import { prunePending } from './agents/pending.js';
import { AgentSessions } from './agents/sessions.js';
import { TrustReports } from './agents/trust-reports.js';
import { AuditWriter } from './audit/audit-writer.js';
import { ClusterNode } from './cluster/cluster-node.js';
import { startHeartbeat } from './cluster/heartbeat.js';
import { singleNode } from './cluster/messages.js';
import { beat, forgetOwnConnections, leaveCluster } from './cluster/nodes.js';
import type { RedisClient } from './cluster/redis.js';
import { attachAdapter, connectRedis } from './cluster/redis.js';
import type { HubConfig, HubConfigInput } from './config/config.js';
import { parseHubConfig } from './config/config.js';
import { createServices } from './create-services.js';
import { migrate } from './db/migrate.js';
import type { Database, Db } from './db/open.js';
import { openDatabase } from './db/open.js';
import { agents, hubMeta } from './db/schema.js';
import { WriteQueue } from './db/write-queue.js';
import { registerFleetGauges } from './fleet-gauges.js';
import { createRoutes } from './http/routes.js';
import type { HubBase, HubContext } from './hub-context.js';
import { HUB_LIMITS } from './hub-limits.js';
import { createLogger } from './logger.js';
import { createMetrics } from './metrics.js';
import type { ProposalExpiry } from './proposals/expiry.js';
import { startProposalExpiry } from './proposals/expiry.js';
import { Admission } from './protocol/admission.js';
import {
  agentNamespace,
  createSocketServer,
  operatorNamespace,
  serveNamespaces,
} from './protocol/socket-server.js';
import { announceTrustHere } from './trust/trust-changed.js';
import { TrustService } from './trust/trust-service.js';
import type { WebhookLoop } from './webhooks/webhooks.js';
import { startWebhooks } from './webhooks/webhooks.js';

export interface RunningHub {
  /** http(s)://host:port */
  url: string;
  port: number;
  hubId: string;
  nodeName: string;
  /** stop accepting, let in-flight work finish, close the database */
  close(): Promise<void>;
}

export interface StartOptions {
  /** a logger to use instead of pino on stdout */
  logger?: Logger;
}

async function drain(inflight: Set<Promise<unknown>>, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (inflight.size > 0 && Date.now() < deadline) {
    await Promise.race([
      Promise.allSettled([...inflight]),
      new Promise((r) => setTimeout(r, deadline - Date.now()).unref()),
    ]);
  }
}

/** The hub's id: configured, or made once and kept in the database (shared by all nodes on it). */
async function resolveHubId(db: Db, configured: string | undefined): Promise<string> {
  if (configured) return configured;
  await db
    .insert(hubMeta)
    .values({ key: 'hub_id', value: `hub-${randomBytes(8).toString('hex')}` })
    .onConflictDoNothing();
  const [row] = await db.select().from(hubMeta).where(eq(hubMeta.key, 'hub_id'));
  return row!.value;
}

/**
 * What a restart leaves behind. Several hubs: only this node's own earlier connections
 * are gone; hosts on other live nodes stay online, those of dead nodes are reaped by the
 * heartbeat. A single hub that stopped (or crashed) holds no connections any more.
 */
async function forgetConnections(db: Db, config: HubConfig, now: number): Promise<void> {
  if (config.redisUrl) {
    await forgetOwnConnections(db, config.nodeName);
    await beat(db, config.nodeName, now, config.heartbeatMs);
  } else
    await db
      .update(agents)
      .set({ presence: 'lost', hubNode: null })
      .where(eq(agents.presence, 'online'));
}

/** Listens as configured; with port 0 the URL names the port the system chose. */
async function listen(
  server: HttpServer,
  config: HubConfig,
): Promise<{ url: string; port: number }> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  return { url: `${config.tls ? 'https' : 'http'}://${host}:${port}`, port };
}

const serverFor = (config: HubConfig): HttpServer =>
  config.tls
    ? createHttpsServer({ cert: readFileSync(config.tls.cert), key: readFileSync(config.tls.key) })
    : createHttpServer();

/** This node takes part in the cluster: hints from the other hubs, and the heartbeat. */
function joinCluster(ctx: HubContext, cluster: ClusterNode, redis: RedisClient) {
  cluster.bind(ctx);
  const heartbeat = startHeartbeat(ctx);
  // Redis back after an outage: what was announced meanwhile is in the database
  redis.on('ready', () => ctx.track(heartbeat.tick()));
  return heartbeat;
}

interface Running {
  ctx: HubContext;
  io: Server;
  httpServer: HttpServer;
  inflight: Set<Promise<unknown>>;
  heartbeat: { stop(): void } | undefined;
  redis: RedisClient | undefined;
  database: Database;
  webhooks: WebhookLoop | undefined;
  proposalExpiry: ProposalExpiry;
}

/**
 * 1. no new connections; 2. in-flight handlers finish and their acks go out;
 * 3. everyone is disconnected (presence is recorded); 4. the services stop and the
 * database closes.
 */
async function stop(r: Running): Promise<void> {
  const { ctx } = r;
  r.heartbeat?.stop();
  await r.webhooks?.stop();
  await r.proposalExpiry.stop();
  r.httpServer.close();
  await drain(r.inflight, HUB_LIMITS.drainMs);
  await new Promise<void>((resolve) => {
    r.io.close(() => resolve());
  });
  await drain(r.inflight, HUB_LIMITS.drainMs);
  ctx.hostChanges.close();
  await ctx.writes.idle();
  if (r.redis) {
    await leaveCluster(ctx.db, ctx.config.nodeName).catch(() => undefined);
    r.redis.destroy();
  }
  await r.database.close();
  ctx.log.info('stopped');
}

export async function startHub(
  input: HubConfigInput,
  options: StartOptions = {},
): Promise<RunningHub> {
  const config = parseHubConfig(input);
  const log = options.logger ?? createLogger(config.logLevel, { node: config.nodeName });
  const database = await openDatabase(
    config.databaseUrl ? { databaseUrl: config.databaseUrl } : { dataDir: config.dataDir! },
  );
  let httpServer: HttpServer | undefined;
  let redis: RedisClient | undefined;
  try {
    await migrate(database.db);
    const hubId = await resolveHubId(database.db, config.hubId);
    const now = () => Date.now();
    const writes = new WriteQueue(database.db, (tx) => new AuditWriter(tx, now));
    const trust = new TrustService(database.db, writes, now, config.redisUrl !== undefined);
    await trust.load();
    if (config.redisUrl) redis = await connectRedis(config.redisUrl, log);
    await forgetConnections(database.db, config, now());
    await writes.run((w) => prunePending(w, now(), config.admission.pendingTtlMs));
    const sessions = new AgentSessions();
    const hostProblems = new HostProblems();
    const metrics = createMetrics(
      () => sessions.size,
      { node: config.nodeName, hubId, mode: redis ? 'cluster' : 'single' },
      () => hostProblems.counts(),
    );
    const cluster = redis ? new ClusterNode(redis, config.nodeName) : undefined;
    const inflight = new Set<Promise<unknown>>();
    let ready = false;

    httpServer = serverFor(config);
    const io = createSocketServer(httpServer, config);
    if (redis) await attachAdapter(io, redis, config.redisPrefix);
    const base: HubBase = {
      config,
      hubId,
      log,
      db: database.db,
      writes,
      trust,
      metrics,
      admission: new Admission(config.admission, metrics),
      sessions,
      hostProblems,
      trustReports: new TrustReports(),
      cluster: cluster ?? singleNode,
      agents: agentNamespace(io),
      operators: operatorNamespace(io),
      now,
      track(work) {
        inflight.add(work);
        void work.finally(() => inflight.delete(work)).catch(() => undefined);
      },
    };
    const ctx: HubContext = { ...base, ...createServices(base) };
    serveNamespaces(ctx, io);
    registerFleetGauges(ctx);
    trust.onChange = () => announceTrustHere(ctx);
    const heartbeat = cluster && redis ? joinCluster(ctx, cluster, redis) : undefined;
    const routes = createRoutes(ctx, { ready: () => ready });
    httpServer.on('request', (req, res) => {
      // socket.io answers its own path; everything else is ours
      if (req.url?.startsWith('/socket.io/')) return;
      void routes(req, res);
    });

    const { url, port } = await listen(httpServer, config);
    ready = true;
    log.info({ url, hubId, storage: database.kind }, 'listening');

    const webhooks = startWebhooks(ctx, now());
    const proposalExpiry = startProposalExpiry(ctx);
    const running: Running = {
      ctx,
      io,
      httpServer,
      inflight,
      heartbeat,
      redis,
      database,
      webhooks,
      proposalExpiry,
    };
    let closing: Promise<void> | undefined;
    const close = () => {
      ready = false;
      closing ??= stop(running);
      return closing;
    };
    return { url, port, hubId, nodeName: config.nodeName, close };
  } catch (err) {
    httpServer?.close();
    redis?.destroy();
    await database.close().catch(() => undefined);
    throw err;
  }
}
