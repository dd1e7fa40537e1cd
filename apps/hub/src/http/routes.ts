import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ErrorCode, Target } from '@serfbort/core';
import {
  deploymentListQuerySchema,
  deploymentStatsQuerySchema,
  HISTORY_LIMITS,
  nextCursor,
  parseSelector,
} from '@serfbort/core';
import { sql } from 'drizzle-orm';
import { loadHostViews } from '../agents/host-views.js';
import { verifyAuditChain } from '../audit/verify.js';
import {
  isStorageUnavailable,
  STORAGE_RETRY_AFTER_S,
  STORAGE_UNAVAILABLE_MESSAGE,
} from '../db/storage-errors.js';
import { deploymentStats } from '../deploy/stats.js';
import { listDeployments, loadDeployment } from '../deploy/views.js';
import type { HubContext } from '../hub-context.js';
import { rolloutHostSummary } from '../rollouts/host-summary.js';
import { liveLock, lockView } from '../rollouts/locks.js';
import { listRollouts, loadRollout } from '../rollouts/views.js';
import { isDeliveryStatus, listDeliveries } from '../webhooks/views.js';
import { listQueryOf, parseQuery, statsQueryOf } from './query-params.js';

function send(res: ServerResponse, status: number, body: unknown, type = 'application/json'): void {
  const text = type === 'application/json' ? JSON.stringify(body) : String(body);
  res.writeHead(status, {
    'content-type': type,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(text);
}

const fail = (res: ServerResponse, status: number, code: ErrorCode, message: string) =>
  send(res, status, { ok: false, error: { code, message } });

function bearerOk(req: IncomingMessage, token: string | undefined): boolean {
  const header = req.headers.authorization ?? '';
  if (!token || !header.startsWith('Bearer ')) return false;
  const given = Buffer.from(header.slice(7));
  const wanted = Buffer.from(token);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

/** CORS for the dashboard's origins only; other origins get no CORS headers at all. */
function cors(ctx: HubContext, req: IncomingMessage, res: ServerResponse): void {
  const origin = req.headers.origin;
  if (origin && ctx.config.origins.includes(origin)) {
    res.setHeader('access-control-allow-origin', origin);
    res.setHeader('vary', 'Origin');
    res.setHeader('access-control-allow-headers', 'authorization');
    res.setHeader('access-control-allow-methods', 'GET, OPTIONS');
    // the next page of /api/deployments
    res.setHeader('access-control-expose-headers', 'x-next-cursor');
  }
}

/** The database answers within a second (a hung pool must not hang the probe). */
async function databaseAnswers(ctx: HubContext): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      ctx.db.execute(sql`select 1`).then(() => true),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), 1_000);
      }),
    ]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/** Health, readiness, metrics, and a small read-only JSON API (viewer token). */
export function createRoutes(ctx: HubContext, state: { ready: () => boolean }) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://hub');
    cors(ctx, req, res);
    if (req.method === 'OPTIONS') return void res.writeHead(204).end();
    if (req.method !== 'GET') return fail(res, 405, 'BAD_REQUEST', 'only GET is served here');
    try {
      switch (url.pathname) {
        case '/healthz':
          return send(res, 200, { ok: true });
        case '/readyz': {
          const node = ctx.config.nodeName;
          if (!state.ready())
            return send(res, 503, {
              ok: false,
              node,
              error: { code: 'UNAVAILABLE', message: 'starting or shutting down' },
            });
          const [database, redis] = await Promise.all([
            databaseAnswers(ctx),
            ctx.cluster.enabled ? ctx.cluster.healthy() : Promise.resolve(undefined),
          ]);
          const checks = { database, ...(redis !== undefined ? { redis } : {}) };
          if (!database || redis === false)
            return send(res, 503, {
              ok: false,
              node,
              hubId: ctx.hubId,
              checks,
              error: {
                code: 'UNAVAILABLE',
                message: `${database ? 'redis' : 'the database'} is unreachable`,
              },
            });
          return send(res, 200, { ok: true, hubId: ctx.hubId, node, checks });
        }
        case '/metrics':
          return send(
            res,
            200,
            await ctx.metrics.registry.metrics(),
            ctx.metrics.registry.contentType,
          );
      }
      if (!url.pathname.startsWith('/api/')) return fail(res, 404, 'NOT_FOUND', 'no such path');
      if (!bearerOk(req, ctx.config.viewerToken))
        return fail(res, 401, 'UNAUTHENTICATED', 'send Authorization: Bearer <viewer token>');
      if (url.pathname === '/api/hosts') {
        const selector = url.searchParams.get('selector');
        const hosts = url.searchParams.get('hosts');
        let target: Target | undefined;
        if (selector) {
          if (!parseSelector(selector).ok)
            return fail(res, 400, 'BAD_REQUEST', 'the selector does not parse');
          target = { selector };
        } else if (hosts) target = { hosts: hosts.split(',').filter(Boolean) };
        return send(
          res,
          200,
          await loadHostViews(ctx.db, ctx, target ? { target } : {}, ctx.now()),
        );
      }
      if (url.pathname === '/api/deployments') {
        const q = parseQuery(deploymentListQuerySchema, listQueryOf(url.searchParams));
        if (!q.ok) return fail(res, 400, 'BAD_REQUEST', q.message);
        const page = await listDeployments(ctx.db, q.data);
        const next = nextCursor(page, q.data.limit ?? HISTORY_LIMITS.defaultPageRows);
        if (next) res.setHeader('x-next-cursor', next);
        return send(res, 200, page);
      }
      if (url.pathname === '/api/deployments/stats') {
        const q = parseQuery(deploymentStatsQuerySchema, statsQueryOf(url.searchParams));
        if (!q.ok) return fail(res, 400, 'BAD_REQUEST', q.message);
        return send(res, 200, await deploymentStats(ctx.db, q.data, ctx.now()));
      }
      const one = /^\/api\/deployments\/([A-Za-z0-9_-]{8,64})$/.exec(url.pathname);
      if (one) {
        const view = await loadDeployment(ctx.db, one[1]!);
        return view ? send(res, 200, view) : fail(res, 404, 'NOT_FOUND', 'no such deployment');
      }
      if (url.pathname === '/api/rollouts') {
        const limit = Number(url.searchParams.get('limit') ?? 50);
        const app = url.searchParams.get('app') ?? undefined;
        return send(
          res,
          200,
          await listRollouts(
            ctx.db,
            {
              limit: Number.isInteger(limit) && limit > 0 ? Math.min(limit, 500) : 50,
              ...(app ? { app } : {}),
            },
            ctx.now(),
          ),
        );
      }
      const rollout = /^\/api\/rollouts\/([A-Za-z0-9_-]{8,64})$/.exec(url.pathname);
      if (rollout) {
        const view = await loadRollout(ctx.db, rollout[1]!, ctx.now());
        if (!view) return fail(res, 404, 'NOT_FOUND', 'no such rollout');
        return send(res, 200, {
          ...view,
          hosts: await rolloutHostSummary(ctx.db, view, ctx.now()),
        });
      }
      const lock = /^\/api\/locks\/([a-z][a-z0-9_-]{0,62})$/.exec(url.pathname);
      if (lock) {
        const held = await liveLock(ctx.db, lock[1]!, ctx.now());
        return send(res, 200, held ? lockView(held) : null);
      }
      if (url.pathname === '/api/webhooks/deliveries') {
        const limit = Number(url.searchParams.get('limit') ?? 100);
        const status = url.searchParams.get('status') ?? undefined;
        const type = url.searchParams.get('type') ?? undefined;
        if (status !== undefined && !isDeliveryStatus(status))
          return fail(res, 400, 'BAD_REQUEST', 'status is pending, sending, delivered or failed');
        return send(
          res,
          200,
          await listDeliveries(ctx.db, {
            limit: Number.isInteger(limit) && limit > 0 ? Math.min(limit, 1000) : 100,
            ...(status ? { status } : {}),
            ...(type ? { type } : {}),
          }),
        );
      }
      if (url.pathname === '/api/audit/verify')
        return send(res, 200, await verifyAuditChain(ctx.db));
      return fail(res, 404, 'NOT_FOUND', 'no such path');
    } catch (err) {
      ctx.log.error(
        { err: err instanceof Error ? err.message : String(err), path: url.pathname },
        'http request failed',
      );
      if (res.headersSent) return;
      if (!isStorageUnavailable(err)) return fail(res, 500, 'INTERNAL', 'the hub could not answer');
      res.setHeader('retry-after', String(STORAGE_RETRY_AFTER_S));
      fail(res, 503, 'STORAGE_UNAVAILABLE', STORAGE_UNAVAILABLE_MESSAGE);
    }
  };
}
