import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Server as HttpServer } from 'node:http';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { AGENT_NAMESPACE, OPERATOR_NAMESPACE } from '@serfbort/core';
import { eq } from 'drizzle-orm';
import type { Logger } from 'pino';
import { Server } from 'socket.io';
import { prunePending } from './agents/registry.js';
import { AgentSessions } from './agents/sessions.js';
import { AuditWriter } from './audit/audit-writer.js';
import { ClusterNode } from './cluster/cluster-node.js';
import { startHeartbeat } from './cluster/heartbeat.js';
import { singleNode } from './cluster/messages.js';
import { beat, forgetOwnConnections, leaveCluster } from './cluster/nodes.js';
import type { RedisClient } from './cluster/redis.js';
import { attachAdapter, connectRedis } from './cluster/redis.js';
import type { HubConfigInput } from './config/config.js';
import { parseHubConfig } from './config/config.js';
import { createServices } from './create-services.js';
import { migrate } from './db/migrate.js';
import type { Db } from './db/open.js';
import { openDatabase } from './db/open.js';
import { agents, hubMeta } from './db/schema.js';
import { WriteQueue } from './db/write-queue.js';
import { createRoutes } from './http/routes.js';
import type {
  AgentNamespace,
  AgentSocketData,
  HubBase,
  HubContext,
  OperatorNamespace,
  OperatorSocketData,
} from './hub-context.js';
import { HUB_LIMITS } from './hub-limits.js';
import { createLogger } from './logger.js';
import { createMetrics } from './metrics.js';
import { registerAgentHandlers } from './protocol/agent-handlers.js';
import { AGENT_EVENTS, OPERATOR_EVENTS } from './protocol/events.js';
import { guardNamespace } from './protocol/guard-socket.js';
import { registerOperatorHandlers } from './protocol/operator-handlers.js';
import { announceTrustHere } from './trust/trust-changed.js';
import { TrustService } from './trust/trust-service.js';

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
    if (config.redisUrl) {
      // several hubs: only this node's own earlier connections are gone; hosts on
      // other live nodes stay online, those of dead nodes are reaped by the heartbeat
      redis = await connectRedis(config.redisUrl, log);
      await forgetOwnConnections(database.db, config.nodeName);
      await beat(database.db, config.nodeName, now(), config.heartbeatMs);
    }
    // a single hub that stopped (or crashed) holds no connections any more
    else
      await database.db
        .update(agents)
        .set({ presence: 'lost', hubNode: null })
        .where(eq(agents.presence, 'online'));
    await writes.run((w) => prunePending(w, now()));
    const sessions = new AgentSessions();
    const metrics = createMetrics(() => sessions.size, {
      node: config.nodeName,
      hubId,
      mode: redis ? 'cluster' : 'single',
    });
    const cluster = redis ? new ClusterNode(redis, config.nodeName) : undefined;
    const inflight = new Set<Promise<unknown>>();
    let ready = false;

    httpServer = config.tls
      ? createHttpsServer({
          cert: readFileSync(config.tls.cert),
          key: readFileSync(config.tls.key),
        })
      : createHttpServer();
    const io = new Server(httpServer, {
      serveClient: false,
      transports: ['websocket'],
      maxHttpBufferSize: config.maxMessageBytes,
      connectTimeout: 5_000,
      pingInterval: 20_000,
      pingTimeout: 20_000,
      cors: { origin: config.origins, credentials: false },
      // browsers always send Origin: only the dashboard's may open a socket; CLI and agents send none
      allowRequest: (req, cb) => {
        const origin = req.headers.origin;
        cb(null, origin === undefined || config.origins.includes(origin));
      },
    });
    if (redis) attachAdapter(io, redis, config.redisPrefix);
    const base: HubBase = {
      config,
      hubId,
      log,
      db: database.db,
      writes,
      trust,
      metrics,
      sessions,
      cluster: cluster ?? singleNode,
      agents: io.of(AGENT_NAMESPACE) as unknown as AgentNamespace,
      operators: io.of(OPERATOR_NAMESPACE) as unknown as OperatorNamespace,
      now,
      track(work) {
        inflight.add(work);
        void work.finally(() => inflight.delete(work)).catch(() => undefined);
      },
    };
    const ctx: HubContext = { ...base, ...createServices(base) };
    guardNamespace(ctx, io.of(AGENT_NAMESPACE), {
      namespace: 'agent',
      known: AGENT_EVENTS,
      authenticated: (s) => (s.data as AgentSocketData).status !== undefined,
      keyOf: (s) => (s.data as AgentSocketData).keyId,
    });
    guardNamespace(ctx, io.of(OPERATOR_NAMESPACE), {
      namespace: 'operator',
      known: OPERATOR_EVENTS,
      authenticated: (s) => (s.data as OperatorSocketData).role !== undefined,
      keyOf: (s) => (s.data as OperatorSocketData).keyId,
    });
    registerAgentHandlers(ctx);
    registerOperatorHandlers(ctx);
    trust.onChange = () => announceTrustHere(ctx);
    let heartbeat: ReturnType<typeof startHeartbeat> | undefined;
    if (cluster && redis) {
      cluster.bind(ctx);
      heartbeat = startHeartbeat(ctx);
      // Redis back after an outage: what was announced meanwhile is in the database
      redis.on('ready', () => ctx.track(heartbeat!.tick()));
    }
    const routes = createRoutes(ctx, { ready: () => ready });
    httpServer.on('request', (req, res) => {
      // socket.io answers its own path; everything else is ours
      if (req.url?.startsWith('/socket.io/')) return;
      void routes(req, res);
    });

    await new Promise<void>((resolve, reject) => {
      httpServer!.once('error', reject);
      httpServer!.listen(config.port, config.host, () => resolve());
    });
    const port = (httpServer.address() as AddressInfo).port;
    const host = config.host.includes(':') ? `[${config.host}]` : config.host;
    const url = `${config.tls ? 'https' : 'http'}://${host}:${port}`;
    ready = true;
    log.info({ url, hubId, storage: database.kind }, 'listening');

    let closing: Promise<void> | undefined;
    const close = () => {
      closing ??= (async () => {
        ready = false;
        // 1. no new connections; 2. in-flight handlers finish and their acks go out;
        // 3. everyone is disconnected (presence is recorded); 4. the database closes
        heartbeat?.stop();
        httpServer!.close();
        await drain(inflight, HUB_LIMITS.drainMs);
        await new Promise<void>((resolve) => {
          io.close(() => resolve());
        });
        await drain(inflight, HUB_LIMITS.drainMs);
        ctx.hostChanges.close();
        await writes.idle();
        if (redis) {
          await leaveCluster(database.db, config.nodeName).catch(() => undefined);
          redis.destroy();
        }
        await database.close();
        log.info('stopped');
      })();
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
