import type { Envelope } from '@serfbort/core';
import { and, desc, eq } from 'drizzle-orm';
import type { Socket } from 'socket.io';
import { deploymentHosts, deployments } from '../db/schema.js';
import type { AgentSocketData, HubContext } from '../hub-context.js';
import { advanceHost } from './host-state.js';
import { markDelivered } from './mark-delivered.js';

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
  socket
    .timeout(ctx.config.relayAckTimeoutMs)
    .emit('deploy:request', envelope, (err: Error | null) => {
      if (err) return;
      ctx.metrics.relayLatency.observe((performance.now() - since) / 1000);
      markDelivered(ctx, { requestId, host });
    });
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
