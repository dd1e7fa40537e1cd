import {
  checkPublicKey,
  enrollmentGrant,
  keyIdOf,
  PAYLOAD_TYPES,
  tryFromBase64,
  verifyApproval,
  verifyEnvelope,
} from '@serfbort/core';
import { nodeVerifier } from '@serfbort/node';
import { eq } from 'drizzle-orm';
import type { Socket } from 'socket.io';
import { enrollmentGrants } from '../db/schema.js';
import { refuse } from '../errors.js';
import type { AgentSocketData, HubContext } from '../hub-context.js';
import { admitAgent, moveRooms } from './admit.js';
import { recordApproval } from './registry.js';

/** An envelope signed by an unexpired operator of the current keyring. */
function verifyOperatorSigned(ctx: HubContext, input: unknown, type: string) {
  const v = verifyEnvelope(input, type, (id) => ctx.trust.operator(id)?.publicKey, nodeVerifier);
  if (!v.ok) return refuse(v.reason, v.detail ?? v.reason);
  return v.value;
}

/**
 * agents:approve — an operator's signed approval binds a key to a host and lets it in.
 * From version 2 it also fixes the host's labels: the hub routes by those alone.
 */
export async function approveAgent(ctx: HubContext, input: unknown): Promise<{ host: string }> {
  await ctx.trust.refresh();
  const verified = verifyApproval(input, (id) => ctx.trust.operator(id)?.publicKey, nodeVerifier);
  if (!verified.ok) return refuse(verified.code, verified.detail);
  const a = verified.approval;
  const raw = tryFromBase64(a.agentPublicKey);
  if (!raw || checkPublicKey(raw) || keyIdOf(raw) !== a.agentKeyId)
    return refuse('BAD_REQUEST', 'the approved key is not admissible or does not match its key id');
  void ctx.admittedKeys.remember(a.agentPublicKey).catch(() => undefined);
  // the waiting agent is let in without reconnecting
  const waiting = waitingHere(ctx, a.host, a.agentKeyId);
  const { agent, replacedKeyId } = await ctx.writes.run((w) =>
    recordApproval(w, {
      host: a.host,
      keyId: a.agentKeyId,
      publicKey: a.agentPublicKey,
      labels: verified.labels,
      approval: verified.envelope,
      approverKeyId: verified.signers[0]!,
      now: ctx.now(),
      // the last one admitted below holds the host (sessions.set replaces the others)
      connectedTo:
        waiting.length > 0 ? { node: ctx.config.nodeName, connection: waiting.at(-1)!.id } : null,
    }),
  );
  // a replaced key loses its connection at once
  const holder = ctx.sessions.get(a.host);
  if (replacedKeyId && holder && (holder.data as AgentSocketData).keyId === replacedKeyId)
    holder.disconnect(true);
  // the same key approved again, with new labels: its rooms follow the approved labels
  else if (holder && (holder.data as AgentSocketData).keyId === a.agentKeyId)
    moveRooms(holder, agent);
  for (const local of waiting) {
    local.leave(`pending:${a.agentKeyId}`);
    await admitAgent(ctx, local, agent);
    local.emit('auth:approved', ctx.trust.bundle());
  }
  // the agent may wait on another hub, or the replaced key be connected there
  ctx.cluster.publish({ type: 'approved', host: a.host, keyId: a.agentKeyId });
  return { host: a.host };
}

/** Sockets on this node waiting for approval of this key under this host name. */
export function waitingHere(ctx: HubContext, host: string, keyId: string): Socket[] {
  const ids = ctx.agents.adapter.rooms.get(`pending:${keyId}`) ?? new Set<string>();
  return [...ids].flatMap((id) => {
    const s = ctx.agents.sockets.get(id);
    const d = s?.data as AgentSocketData | undefined;
    return s && d?.host === host && d.status === 'pending' ? [s as Socket] : [];
  });
}

/** agents:grant — stores an operator-signed grant; the token itself never reaches the hub. */
export async function storeGrant(ctx: HubContext, input: unknown): Promise<{ expiresAt: number }> {
  await ctx.trust.refresh();
  const verified = verifyOperatorSigned(ctx, input, PAYLOAD_TYPES.enrollmentGrant);
  const parsed = enrollmentGrant.safeParse(verified.payload);
  if (!parsed.success)
    return refuse(
      'MALFORMED',
      `grant: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`,
    );
  const g = parsed.data;
  const now = ctx.now();
  if (g.expiresAt <= now) return refuse('EXPIRED', 'the grant has already expired');
  const stored = await ctx.writes.run(async ({ tx, audit }) => {
    const [existing] = await tx
      .select({ grant: enrollmentGrants.grant })
      .from(enrollmentGrants)
      .where(eq(enrollmentGrants.tokenHash, g.tokenHash));
    if (existing) return existing.grant.payload === verified.envelope.payload;
    await tx.insert(enrollmentGrants).values({
      tokenHash: g.tokenHash,
      grant: verified.envelope,
      host: g.host ?? null,
      expiresAt: g.expiresAt,
      createdAt: now,
    });
    await audit.append('enrollment-grant', {
      tokenHash: g.tokenHash,
      host: g.host ?? null,
      expiresAt: g.expiresAt,
      by: verified.signers[0],
    });
    return true;
  });
  if (!stored) return refuse('CONFLICT', 'a different grant for this token already exists');
  return { expiresAt: g.expiresAt };
}
