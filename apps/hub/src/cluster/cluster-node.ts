import { sql } from 'drizzle-orm';
import { admitAgent, moveRooms } from '../agents/admit.js';
import { waitingHere } from '../agents/approve.js';
import { recordOnline } from '../agents/registry.js';
import { agents } from '../db/schema.js';
import { deliverHere } from '../deploy/deliver.js';
import type { AgentSocketData, HubContext } from '../hub-context.js';
import type { Cluster, ClusterMessage } from '../hub-services.js';
import { announceRollout } from '../rollouts/rollout-service.js';
import { CLUSTER_EVENT } from './messages.js';
import type { RedisClient } from './redis.js';
import { redisAnswers } from './redis.js';

/** This hub as one node of several: sends hints to the others and acts on theirs. */
export class ClusterNode implements Cluster {
  readonly enabled = true;
  private ctx: HubContext | undefined;

  constructor(
    private readonly redis: RedisClient,
    readonly onlyNode: string,
  ) {}

  bind(ctx: HubContext): void {
    this.ctx = ctx;
    const ns = ctx.agents as unknown as {
      on(event: string, fn: (m: ClusterMessage) => void): void;
    };
    ns.on(CLUSTER_EVENT, (message) => {
      ctx.track(
        this.receive(ctx, message).catch((err: unknown) =>
          ctx.log.error(
            { err: err instanceof Error ? err.message : String(err), type: message?.type },
            'cluster message failed',
          ),
        ),
      );
    });
  }

  publish(message: ClusterMessage): void {
    const ns = this.ctx?.agents as unknown as
      | { serverSideEmit(event: string, m: ClusterMessage): void }
      | undefined;
    ns?.serverSideEmit(CLUSTER_EVENT, message);
  }

  healthy(): Promise<boolean> {
    return redisAnswers(this.redis);
  }

  private async receive(ctx: HubContext, message: ClusterMessage): Promise<void> {
    switch (message?.type) {
      case 'deploy':
        return deliverHere(
          ctx,
          message.requestId,
          message.envelope,
          message.hosts,
          performance.now(),
        );
      case 'trust':
        // refresh() tells local sockets itself when something changed
        await ctx.trust.refresh();
        return;
      case 'approved':
        return admitApprovedHere(ctx, message.host, message.keyId);
      case 'claimed':
        return dropOlderConnection(ctx, message.host, message.node);
      case 'rollout':
        return announceRollout(ctx, message.id, true);
    }
  }
}

async function admitApprovedHere(ctx: HubContext, host: string, keyId: string): Promise<void> {
  // a host re-keyed by the approval loses its old connection here at once
  const holder = ctx.sessions.get(host);
  if (holder && (holder.data as AgentSocketData).keyId !== keyId) holder.disconnect(true);
  // the same key approved again (new labels): its rooms follow the approval
  else if (holder) {
    const [row] = await ctx.db.select().from(agents).where(sql`${agents.name} = ${host}`);
    if (row?.keyId === keyId) moveRooms(holder, row);
  }
  const waiting = waitingHere(ctx, host, keyId);
  if (waiting.length === 0) return;
  // the last one admitted below holds the host (sessions.set replaces the others)
  const connection = waiting.at(-1)!.id;
  await ctx.writes.run((w) =>
    recordOnline(w, host, keyId, ctx.config.nodeName, connection, ctx.now()),
  );
  const [agent] = await ctx.db.select().from(agents).where(sql`${agents.name} = ${host}`);
  if (!agent || agent.keyId !== keyId) return;
  for (const socket of waiting) {
    socket.leave(`pending:${keyId}`);
    await admitAgent(ctx, socket, agent);
    socket.emit('auth:approved', ctx.trust.bundle());
  }
}

function dropOlderConnection(ctx: HubContext, host: string, node: string): void {
  if (node === ctx.config.nodeName) return;
  const socket = ctx.sessions.get(host);
  if (!socket || !ctx.sessions.delete(host, socket)) return;
  // the other hub recorded the host online there: this disconnect changes nothing
  (socket.data as AgentSocketData).replaced = true;
  socket.disconnect(true);
  ctx.hostChanges.publish(host);
}
