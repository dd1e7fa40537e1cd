import type { Envelope, Labels } from '@serfbort/core';
import { rooms } from '@serfbort/core';
import { and, eq } from 'drizzle-orm';
import type { Socket } from 'socket.io';
import { agents } from '../db/schema.js';
import { deliverPending } from '../deploy/deliver.js';
import type { AgentSocketData, HubContext } from '../hub-context.js';
import type { AdmittedAgent } from '../hub-services.js';

export function roomsOf(agent: { name: string; labels: Record<string, string> }): string[] {
  const labelRooms = Object.entries(agent.labels).flatMap(([k, v]) => [
    rooms.label(k, v),
    rooms.labelKey(k),
  ]);
  return [rooms.fleet, rooms.host(agent.name), ...labelRooms];
}

const LABEL_ROOM_PREFIXES = [rooms.label('', '').slice(0, -1), rooms.labelKey('')];

/** A connected agent leaves the label rooms it was in and joins those of its approval. */
export function moveRooms(socket: Socket, agent: { name: string; labels: Labels }): void {
  for (const room of [...socket.rooms])
    if (LABEL_ROOM_PREFIXES.some((p) => room.startsWith(p))) socket.leave(room);
  socket.join(roomsOf(agent));
}

/** The hello of an agent admitted outside the batched path: clients compare its receipt head. */
async function storeHello(ctx: HubContext, agent: AdmittedAgent, hello: Envelope): Promise<void> {
  await ctx.writes.run(({ tx }) =>
    tx
      .update(agents)
      .set({ hello })
      .where(and(eq(agents.name, agent.name), eq(agents.keyId, agent.keyId))),
  );
}

/**
 * An approved agent joins its rooms (fleet, its name, each label), replaces any older
 * connection of the same host, and gets what was waiting for it while it was away.
 */
export async function admitAgent(
  ctx: HubContext,
  socket: Socket,
  agent: AdmittedAgent,
): Promise<void> {
  const data = socket.data as AgentSocketData;
  data.status = 'approved';
  data.host = agent.name;
  data.keyId = agent.keyId;
  data.publicKey = agent.publicKey;
  socket.join(roomsOf(agent));
  if (data.hello) await storeHello(ctx, agent, data.hello);
  data.hello = undefined;
  // an approved key is no flood: its connection gives its token back
  ctx.admission.proven(socket);
  const previous = ctx.sessions.set(agent.name, socket);
  if (previous) {
    (previous.data as AgentSocketData).replaced = true;
    previous.disconnect(true);
  }
  // an older connection of this host on another hub is dropped there
  ctx.cluster.publish({ type: 'claimed', host: agent.name, node: ctx.config.nodeName });
  ctx.hostChanges.publish(agent.name);
  // delivery happens after the hello's acknowledgement so the agent has its trust first
  setImmediate(() =>
    ctx.track(
      deliverPending(ctx, socket, agent.name).catch((err: unknown) =>
        ctx.log.error({ err: String(err), host: agent.name }, 'pending delivery failed'),
      ),
    ),
  );
}
