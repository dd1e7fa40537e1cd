import type { Envelope } from '@serfbort/core';
import { and, desc, eq } from 'drizzle-orm';
import type { Socket } from 'socket.io';
import { deploymentHosts, deployments } from '../db/schema.js';
import type { AgentSocketData, HubContext } from '../hub-context.js';
import { advanceHost } from './host-state.js';
import { markDelivered } from './mark-delivered.js';

const sent = new WeakMap<HubContext, Map<string, number>>();
const sentKey = (requestId: string, host: string) => `${requestId}\u0000${host}`;

/** When this node last sent the request to the host (a sweep must not resend what is in flight). */
export function recentSends(ctx: HubContext): Map<string, number> {
  let map = sent.get(ctx);
  if (!map) {
    map = new Map();
    sent.set(ctx, map);
  }
  return map;
}

export function lastSent(ctx: HubContext, requestId: string, host: string): number | undefined {
  return sent.get(ctx)?.get(sentKey(requestId, host));
}

/**
 * Sends the operator's envelope, byte for byte, to one connected agent. Its
 * acknowledgement means "received"; without one the host stays pending and gets the
 * request again when it reconnects.
 */
export function sendRequest(
  ctx: HubContext,
  socket: Socket,
  requestId: string,
  envelope: Envelope,
  since: number,
): void {
  const host = (socket.data as AgentSocketData).host;
  if (!host) return;
  if (ctx.cluster.enabled) recentSends(ctx).set(sentKey(requestId, host), performance.now());
  socket
    .timeout(ctx.config.relayAckTimeoutMs)
    .emit('deploy:request', envelope, (err: Error | null) => {
      if (err) return;
      ctx.metrics.relayLatency.observe((performance.now() - since) / 1000);
      markDelivered(ctx, { requestId, host });
    });
}

/** Delivers a new request to the targeted hosts connected to this node. */
export function deliverHere(
  ctx: HubContext,
  requestId: string,
  envelope: Envelope,
  hosts: readonly string[],
  since: number,
): void {
  for (const host of hosts) {
    const socket = ctx.sessions.get(host);
    // with several hubs a late hint may follow a sweep that already sent it
    if (ctx.cluster.enabled && lastSent(ctx, requestId, host) !== undefined) continue;
    if (socket) sendRequest(ctx, socket, requestId, envelope, since);
  }
}

/**
 * On (re)connect: the newest unexpired pending request per app is delivered; older
 * ones are superseded and expired ones marked expired, so nothing stale is replayed.
 */
export async function deliverPending(ctx: HubContext, socket: Socket, host: string): Promise<void> {
  const since = performance.now();
  const rows = await ctx.db
    .select({
      requestId: deployments.requestId,
      app: deployments.app,
      expiresAt: deployments.expiresAt,
      envelope: deployments.envelope,
    })
    .from(deploymentHosts)
    .innerJoin(deployments, eq(deployments.requestId, deploymentHosts.requestId))
    .where(and(eq(deploymentHosts.host, host), eq(deploymentHosts.state, 'pending')))
    .orderBy(desc(deployments.issuedAt), desc(deployments.submittedAt));
  const now = ctx.now();
  const delivered = new Set<string>();
  for (const row of rows) {
    if (row.expiresAt <= now) {
      await advanceHost(ctx, {
        requestId: row.requestId,
        host,
        state: 'expired',
        reason: 'EXPIRED',
      });
    } else if (delivered.has(row.app)) {
      await advanceHost(ctx, {
        requestId: row.requestId,
        host,
        state: 'expired',
        reason: 'SUPERSEDED',
      });
    } else {
      delivered.add(row.app);
      if (socket.connected) sendRequest(ctx, socket, row.requestId, row.envelope, since);
    }
  }
}
