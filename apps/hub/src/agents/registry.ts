import type { AgentAuth, AgentKeyEvidence, AppVersionView, Envelope, Labels } from '@serfbort/core';
import { PAYLOAD_TYPES, sha256Hex } from '@serfbort/core';
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { agents, enrollmentGrants, pendingAgents } from '../db/schema.js';
import type { WriteContext } from '../db/write-queue.js';
import type { AdmittedAgent, AgentRow, KnownHello, PresenceChange } from '../hub-services.js';
import { labelsSigned, sameLabels } from './approved-labels.js';
import type { Evicted, PendingCaps } from './pending.js';
import { recordPending } from './pending.js';

export type HelloOutcome =
  | { status: 'approved'; agent: AgentRow }
  | { status: 'pending'; evicted: Evicted }
  | { status: 'name-taken' }
  | { status: 'token-invalid'; why: string };

interface Hello {
  hello: AgentAuth;
  keyId: string;
  envelope: Envelope;
  now: number;
  node: string;
  /** the connection it came on (agents.connection) */
  connection: string;
  /** the address the hello came from, and the pending list's bounds */
  source: string;
  caps: PendingCaps;
}

/**
 * The hello's verdict, decided and recorded in one write job so that a token is
 * consumed exactly once and a name is never bound to two keys.
 */
export async function recordHello({ tx, audit }: WriteContext, h: Hello): Promise<HelloOutcome> {
  const { hello, keyId, now } = h;
  const live = {
    labels: hello.labels,
    apps: hello.apps,
    agentVersion: hello.agentVersion,
    presence: 'online' as const,
    lastSeen: now,
    hubNode: h.node,
    connection: h.connection,
  };
  const [existing] = await tx.select().from(agents).where(eq(agents.name, hello.host));
  if (existing && existing.keyId !== keyId) return { status: 'name-taken' };
  if (existing) return { status: 'approved', agent: await recordReturn(tx, existing, h, live) };
  if (hello.enrollmentToken !== undefined) {
    const tokenHash = sha256Hex(hello.enrollmentToken);
    const [grant] = await tx
      .select()
      .from(enrollmentGrants)
      .where(eq(enrollmentGrants.tokenHash, tokenHash));
    if (!grant || grant.usedAt !== null)
      return { status: 'token-invalid', why: 'the enrollment token is unknown or already used' };
    if (grant.expiresAt <= now)
      return { status: 'token-invalid', why: 'the enrollment token expired' };
    if (grant.host !== null && grant.host !== hello.host)
      return { status: 'token-invalid', why: 'the enrollment token is for another host' };
    const used = await tx
      .update(enrollmentGrants)
      .set({ usedAt: now, usedBy: hello.host })
      .where(and(eq(enrollmentGrants.tokenHash, tokenHash), isNull(enrollmentGrants.usedAt)))
      .returning({ tokenHash: enrollmentGrants.tokenHash });
    if (used.length === 0)
      return { status: 'token-invalid', why: 'the enrollment token was already used' };
    const evidence: AgentKeyEvidence = {
      kind: 'enrollment',
      grant: grant.grant,
      hello: h.envelope,
    };
    const [agent] = await tx
      .insert(agents)
      .values({
        name: hello.host,
        keyId,
        publicKey: hello.publicKey,
        evidence,
        firstSeen: now,
        approvedAt: now,
        appVersions: {},
        ...live,
      })
      .returning();
    await tx.delete(pendingAgents).where(eq(pendingAgents.keyId, keyId));
    await audit.append('enrollment', { host: hello.host, keyId, tokenHash, hello: h.envelope });
    return { status: 'approved', agent: agent! };
  }
  const evicted = await recordPending(tx, { hello, keyId, source: h.source, now }, h.caps);
  return { status: 'pending', evicted };
}

/**
 * An approved host says hello again. Labels an operator signed stay as signed (the hub
 * routes by them); other labels it announces wait as a pending approval of the same key.
 */
async function recordReturn(
  tx: WriteContext['tx'],
  existing: AgentRow,
  h: Hello,
  live: Omit<Partial<AgentRow>, 'labels'> & { labels: Labels },
): Promise<AgentRow> {
  const { labels: announced, ...rest } = live;
  const signed = labelsSigned(existing.evidence);
  const [agent] = await tx
    .update(agents)
    .set(signed ? rest : live)
    .where(eq(agents.name, existing.name))
    .returning();
  if (signed && !sameLabels(existing.labels, announced)) {
    const pending = {
      name: existing.name,
      publicKey: existing.publicKey,
      labels: announced,
      apps: h.hello.apps,
      agentVersion: h.hello.agentVersion,
      lastSeen: h.now,
      source: h.source,
    };
    await tx
      .insert(pendingAgents)
      .values({ keyId: existing.keyId, firstSeen: h.now, ...pending })
      .onConflictDoUpdate({ target: pendingAgents.keyId, set: pending });
  } else if (signed) await tx.delete(pendingAgents).where(eq(pendingAgents.keyId, existing.keyId));
  return agent!;
}

export interface ApprovalFacts {
  host: string;
  keyId: string;
  publicKey: string;
  /** the labels the approval signs; null for a version-1 approval (none signed) */
  labels: Labels | null;
  approval: Envelope;
  approverKeyId: string;
  now: number;
  /** the hub node and connection where the waiting agent is connected, if it is */
  connectedTo: { node: string; connection: string } | null;
}

/**
 * An operator's signed word binds a key to a host name. It may replace the key of a
 * host that was reinstalled: the approval is the operator's explicit decision.
 */
export async function recordApproval(
  { tx, audit }: WriteContext,
  a: ApprovalFacts,
): Promise<{ agent: AgentRow; replacedKeyId: string | null }> {
  const [existing] = await tx.select().from(agents).where(eq(agents.name, a.host));
  const [pending] = await tx
    .select()
    .from(pendingAgents)
    .where(and(eq(pendingAgents.keyId, a.keyId), eq(pendingAgents.name, a.host)));
  const evidence: AgentKeyEvidence = { kind: 'approval', approval: a.approval };
  const known = pending ?? existing;
  const row = {
    name: a.host,
    keyId: a.keyId,
    publicKey: a.publicKey,
    evidence,
    labels: a.labels ?? known?.labels ?? {},
    apps: known?.apps ?? [],
    agentVersion: known?.agentVersion ?? '',
    presence: a.connectedTo ? ('online' as const) : (existing?.presence ?? ('lost' as const)),
    firstSeen: existing?.firstSeen ?? pending?.firstSeen ?? a.now,
    lastSeen: existing?.lastSeen ?? pending?.lastSeen ?? a.now,
    hubNode: a.connectedTo?.node ?? existing?.hubNode ?? null,
    connection: a.connectedTo?.connection ?? existing?.connection ?? null,
    appVersions: existing?.appVersions ?? {},
    approvedAt: a.now,
    // a new key starts its own receipt chain: the old key's head would hold its number back
    ...(existing && existing.keyId !== a.keyId ? { head: null, headSeq: null } : {}),
  };
  const [agent] = await tx
    .insert(agents)
    .values(row)
    .onConflictDoUpdate({ target: agents.name, set: row })
    .returning();
  await tx.delete(pendingAgents).where(eq(pendingAgents.keyId, a.keyId));
  await audit.append('approval', {
    host: a.host,
    keyId: a.keyId,
    by: a.approverKeyId,
    approval: a.approval,
  });
  return {
    agent: agent!,
    replacedKeyId: existing && existing.keyId !== a.keyId ? existing.keyId : null,
  };
}

/**
 * Hosts that left or were lost, with one UPDATE for the batch. With several hubs, only
 * while the row still names this node: the host may already be online on another hub.
 */
export async function recordPresences(
  { tx }: WriteContext,
  changes: PresenceChange[],
): Promise<undefined[]> {
  // the latest word per connection wins (a goodbye then its disconnect); of one host's
  // connections, only the one the row names can match
  const latest = new Map(changes.map((c) => [`${c.host}\n${c.connection}`, c]));
  const rows = JSON.stringify(
    [...latest.values()].map((c) => ({
      name: c.host,
      key_id: c.keyId,
      presence: c.presence,
      at: c.now,
      connection: c.connection,
      only_node: c.onlyNode ?? null,
    })),
  );
  // the limit tells the planner the batch's real size: it assumes 100 rows from a jsonb
  // function and would scan all of agents instead of probing its primary key
  await tx.execute(sql`
    update agents as a set presence = v.presence, last_seen = v.at
    from (select * from jsonb_to_recordset(${rows}::jsonb) as r(name text, key_id text,
      presence text, at bigint, connection text, only_node text) limit ${latest.size}) as v
    where a.name = v.name and a.key_id = v.key_id and a.presence <> v.presence
      and a.connection = v.connection
      and (v.only_node is null or a.hub_node = v.only_node)`);
  return changes.map(() => undefined);
}

/**
 * The common hello of a reconnecting fleet — a host already approved with this very
 * key, announcing the labels it was approved with (or with none signed) — recorded for
 * a whole batch with one UPDATE: the same row change as recordHello's approved branch.
 * Hellos it does not match (unknown host, another key, enrollment, labels other than
 * the signed ones) return null and take recordHello's full path.
 */
export async function recordKnownHellos(
  { tx }: WriteContext,
  hellos: KnownHello[],
): Promise<(AdmittedAgent | null)[]> {
  const rows = JSON.stringify(
    hellos.map((h) => ({
      name: h.host,
      key_id: h.keyId,
      labels: h.labels,
      apps: h.apps,
      agent_version: h.agentVersion,
      at: h.now,
      node: h.node,
      connection: h.connection,
      hello: h.hello,
    })),
  );
  // the limit: the batch's real size, so the planner probes the primary key (see above)
  const updated = (await tx.execute(sql`
    update agents as a set labels = v.labels, apps = v.apps, agent_version = v.agent_version,
      presence = 'online', last_seen = v.at, hub_node = v.node, connection = v.connection,
      hello = v.hello
    from (select * from jsonb_to_recordset(${rows}::jsonb) as r(name text, key_id text,
      labels jsonb, apps jsonb, agent_version text, at bigint, node text, connection text,
      hello jsonb)
      limit ${hellos.length}) as v
    where a.name = v.name and a.key_id = v.key_id
      and (a.labels = v.labels or a.evidence->>'kind' <> 'approval'
        or a.evidence->'approval'->>'payloadType' = ${PAYLOAD_TYPES.approval})
    returning a.name, a.key_id, a.public_key, a.labels`)) as unknown as {
    rows: { name: string; key_id: string; public_key: string; labels: AgentRow['labels'] }[];
  };
  // a host back on its approved labels has no labels change waiting any more
  if (updated.rows.length > 0)
    await tx.delete(pendingAgents).where(
      inArray(
        pendingAgents.keyId,
        updated.rows.map((r) => r.key_id),
      ),
    );
  const byName = new Map(updated.rows.map((r) => [r.name, r]));
  return hellos.map((h) => {
    const r = byName.get(h.host);
    if (!r || r.key_id !== h.keyId) return null;
    return { name: r.name, keyId: r.key_id, publicKey: r.public_key, labels: r.labels };
  });
}

/** A host approved on another hub while it waited here is online here. */
export async function recordOnline(
  { tx }: WriteContext,
  host: string,
  keyId: string,
  node: string,
  connection: string,
  now: number,
): Promise<void> {
  await tx
    .update(agents)
    .set({ presence: 'online', hubNode: node, connection, lastSeen: now })
    .where(and(eq(agents.name, host), eq(agents.keyId, keyId)));
}

export async function recordAppVersions(
  { tx }: WriteContext,
  host: string,
  keyId: string,
  versions: Record<string, AppVersionView>,
  now: number,
): Promise<void> {
  await tx
    .update(agents)
    .set({ appVersions: versions, lastSeen: now })
    .where(and(eq(agents.name, host), eq(agents.keyId, keyId)));
}
