import { timingSafeEqual } from 'node:crypto';
import type { OperatorToHubEvents } from '@serfbort/core';
import {
  auditRowsQuerySchema,
  checkRunQuerySchema,
  deploymentListQuerySchema,
  deploymentQuerySchema,
  deploymentStatsQuerySchema,
  hostHeadsQuerySchema,
  hostHistoryQuerySchema,
  hostQuerySchema,
  rooms,
  trustPublishSchema,
} from '@serfbort/core';
import { asc } from 'drizzle-orm';
import type { Socket } from 'socket.io';
import { z } from 'zod';
import { approveAgent, storeGrant } from '../agents/approve.js';
import { HOSTS_ROOM } from '../agents/host-changes.js';
import { loadHostHeads, loadHostHistory } from '../agents/host-history.js';
import { loadHostViews } from '../agents/host-views.js';
import { loadPendingAgents } from '../agents/pending-views.js';
import { verifyOperatorHello } from '../agents/verify-hello.js';
import { auditHead, auditRows } from '../audit/rows.js';
import { verifyAuditChain } from '../audit/verify.js';
import { agents } from '../db/schema.js';
import { deploymentStats } from '../deploy/stats.js';
import { submitDeploy } from '../deploy/submit.js';
import { listDeployments, loadDeployment } from '../deploy/views.js';
import { HubError } from '../errors.js';
import type { HubContext, OperatorSocketData } from '../hub-context.js';
import { runCheck } from '../operators/check.js';
import { announceTrustHere } from '../trust/trust-changed.js';
import { newChallenge } from './agent-handlers.js';
import type { Guard } from './handle.js';
import { handlerFor } from './handle.js';
import { registerProposalHandlers } from './proposal-handlers.js';
import { registerRolloutHandlers } from './rollout-handlers.js';

const data = (socket: Socket) => socket.data as OperatorSocketData;

/** Viewers and operators may read. */
export const reader: Guard = (socket) =>
  data(socket).role ? undefined : { code: 'UNAUTHENTICATED', message: 'say hello first' };
/** Only keyring operators may change anything. */
export const writer: Guard = (socket) => {
  const role = data(socket).role;
  if (role === 'operator') return undefined;
  return role
    ? { code: 'FORBIDDEN', message: 'viewers may only read' }
    : { code: 'UNAUTHENTICATED', message: 'say hello first' };
};

const helloSchema = z.union([
  z.strictObject({ envelope: z.unknown() }),
  z.strictObject({ viewerToken: z.string().max(512) }),
]);

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The operator namespace: CLI and dashboard. Trust documents verify themselves, so they need no login. */
export function registerOperatorHandlers(ctx: HubContext): void {
  ctx.operators.on('connection', (socket) => {
    const on = handlerFor<OperatorToHubEvents>(ctx, socket);

    on('auth:challenge', null, null, async () => newChallenge(ctx, socket));

    on('auth:hello', helloSchema, null, async (hello) => {
      if ('viewerToken' in hello) {
        const expected = ctx.config.viewerToken;
        if (!expected || !sameSecret(hello.viewerToken, expected))
          throw new HubError('UNAUTHENTICATED', 'the viewer token is not valid');
        data(socket).role = 'viewer';
        ctx.admission.proven(socket);
        socket.join(rooms.proposals);
        return { role: 'viewer' as const };
      }
      const expected = { nonce: data(socket).nonce, hubId: ctx.hubId, now: ctx.now() };
      data(socket).nonce = undefined;
      await ctx.trust.refresh();
      const claim = verifyOperatorHello(
        hello.envelope,
        expected,
        (id) => ctx.trust.operator(id)?.publicKey,
      );
      const name = ctx.trust.operator(claim.keyId)!.entry.name;
      Object.assign(data(socket), {
        role: 'operator',
        keyId: claim.keyId,
        name,
        speaks: claim.speaks,
      });
      ctx.admission.proven(socket);
      socket.join(rooms.proposals);
      return { role: 'operator' as const, keyId: claim.keyId, name };
    });

    on('trust:get', null, null, async () => ctx.trust.bundle());

    on('trust:publish', trustPublishSchema, null, async (doc) => {
      const result = await ctx.trust.publish(doc.kind, doc.envelope as never);
      if (result.changed) {
        ctx.log.info({ kind: doc.kind, version: result.version }, 'trust document stored');
        // everyone here gets the new bundle; other hubs reload it from the database and tell theirs
        announceTrustHere(ctx);
        ctx.cluster.publish({ type: 'trust' });
      }
      return { version: result.version };
    });

    on('hosts:list', hostQuerySchema, reader, async (q) =>
      loadHostViews(ctx.db, ctx, q.target ? { target: q.target } : {}, ctx.now()),
    );

    on('hosts:subscribe', null, reader, async () => {
      socket.join(HOSTS_ROOM);
      return null;
    });

    on('deploy:submit', z.unknown(), writer, async (envelope) =>
      submitDeploy(ctx, envelope, socket),
    );

    on('deploy:watch', deploymentQuerySchema, reader, async (q) => {
      const view = await loadDeployment(ctx.db, q.requestId);
      if (!view) throw new HubError('NOT_FOUND', `no deployment ${q.requestId}`);
      socket.join(rooms.deployment(q.requestId));
      return view;
    });

    on('deploy:unwatch', deploymentQuerySchema, reader, async (q) => {
      socket.leave(rooms.deployment(q.requestId));
      return null;
    });

    on('deploy:list', deploymentListQuerySchema, reader, async (q) => listDeployments(ctx.db, q));

    on('deploy:stats', deploymentStatsQuerySchema, reader, async (q) =>
      deploymentStats(ctx.db, q, ctx.now()),
    );

    on('check:run', checkRunQuerySchema, writer, async (q) => runCheck(ctx, q));

    on('agents:pending', null, reader, async () => loadPendingAgents(ctx.db));

    on('agents:approve', z.unknown(), writer, async (envelope) => approveAgent(ctx, envelope));

    on('agents:grant', z.unknown(), writer, async (envelope) => storeGrant(ctx, envelope));

    on('agents:keys', null, reader, async () => {
      const rows = await ctx.db
        .select({
          host: agents.name,
          keyId: agents.keyId,
          publicKey: agents.publicKey,
          evidence: agents.evidence,
        })
        .from(agents)
        .orderBy(asc(agents.name));
      return rows;
    });

    on('audit:verify', null, reader, async () => verifyAuditChain(ctx.db));

    on('audit:head', null, reader, async () => auditHead(ctx.db));

    on('audit:rows', auditRowsQuerySchema, reader, async (q) =>
      auditRows(ctx.db, q.after, q.limit),
    );

    on('hosts:history', hostHistoryQuerySchema, reader, async (q) =>
      loadHostHistory(ctx.db, q.host, q.limit),
    );

    on('hosts:heads', hostHeadsQuerySchema, reader, async (q) => loadHostHeads(ctx.db, q.hosts));

    registerRolloutHandlers(ctx, socket, { reader, writer });
    registerProposalHandlers(ctx, socket, { reader, writer });
  });
}
