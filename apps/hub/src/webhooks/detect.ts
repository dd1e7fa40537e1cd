import type { TrustState } from '@serfbort/core';
import { FINAL_HOST_STATES } from '@serfbort/core';
import { sql } from 'drizzle-orm';
import type { WebhookEvent, WebhookEventType } from '../config/webhook-events.js';
import type { WebhooksConfig } from '../config/webhooks.js';
import { endpointName } from '../config/webhooks.js';
import type { WriteContext } from '../db/write-queue.js';

/** Arbitrary constant: with several hubs on one database, one looks for events at a time. */
const DETECT_LOCK = 7_700_003;
const DAY = 86_400_000;
/** how many new keys one `agent.pending` names (the count says how many in all) */
const PENDING_NAMED = 20;
const ROWS = 100;

type Rows<T> = { rows: T[] };
const inList = (values: readonly string[]) =>
  sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  );

async function finishedDeployments(tx: WriteContext['tx'], since: number): Promise<WebhookEvent[]> {
  const finals = inList(FINAL_HOST_STATES);
  const found = (await tx.execute(sql`
    select d.request_id, d.app, d.version, d.rollout_id, d.signer_names,
      count(*)::int as hosts,
      count(*) filter (where h.state = 'succeeded')::int as succeeded,
      max(h.updated_at) as finished_at,
      coalesce(jsonb_agg(jsonb_build_object('host', h.host, 'state', h.state, 'reason', h.reason)
        order by h.host) filter (where h.state <> 'succeeded'), '[]'::jsonb) as problems
    from deployments d join deployment_hosts h on h.request_id = d.request_id
    where d.submitted_at > ${since - DAY}
      and not exists (select 1 from webhook_events e where e.key = 'deploy:' || d.request_id)
    group by d.request_id
    having bool_and(h.state in (${finals})) and max(h.updated_at) > ${since}
    order by max(h.updated_at) limit ${ROWS}`)) as unknown as Rows<{
    request_id: string;
    app: string;
    version: string;
    rollout_id: string | null;
    signer_names: string[];
    hosts: number;
    succeeded: number;
    finished_at: string | number;
    problems: { host: string; state: string; reason: string | null }[];
  }>;
  return found.rows.map((r) => ({
    key: `deploy:${r.request_id}`,
    type: r.succeeded === r.hosts ? 'deploy.finished' : 'deploy.failed',
    at: Number(r.finished_at),
    data: {
      requestId: r.request_id,
      app: r.app,
      version: r.version,
      rolloutId: r.rollout_id,
      signedBy: r.signer_names,
      hosts: r.hosts,
      succeeded: r.succeeded,
      // a bounded list: a 10,000-host failure is one post, not a megabyte
      problems: r.problems.slice(0, 50),
    },
  }));
}

async function endedRollouts(tx: WriteContext['tx'], since: number): Promise<WebhookEvent[]> {
  const found = (await tx.execute(sql`
    select id, app, version, kind, status, reason, owner_name, updated_at from rollouts r
    where status in ('succeeded', 'halted', 'aborted', 'rolled-back', 'expired')
      and updated_at > ${since}
      and not exists (select 1 from webhook_events e where e.key = 'rollout:' || r.id || ':' || r.status)
    order by updated_at limit ${ROWS}`)) as unknown as Rows<{
    id: string;
    app: string;
    version: string;
    kind: string;
    status: string;
    reason: string | null;
    owner_name: string;
    updated_at: string | number;
  }>;
  return found.rows.map((r) => ({
    key: `rollout:${r.id}:${r.status}`,
    type: r.status === 'succeeded' ? 'rollout.finished' : 'rollout.halted',
    at: Number(r.updated_at),
    data: {
      rolloutId: r.id,
      app: r.app,
      version: r.version,
      kind: r.kind,
      status: r.status,
      reason: r.reason,
      owner: r.owner_name,
    },
  }));
}

async function lostAgents(
  tx: WriteContext['tx'],
  since: number,
  lostBefore: number,
): Promise<WebhookEvent[]> {
  const found = (await tx.execute(sql`
    select name, last_seen, hub_node from agents a
    where presence = 'lost' and last_seen > ${since} and last_seen <= ${lostBefore}
      and not exists (select 1 from webhook_events e
        where e.key = 'agent.lost:' || a.name || ':' || a.last_seen)
    order by last_seen limit ${ROWS}`)) as unknown as Rows<{
    name: string;
    last_seen: string | number;
    hub_node: string | null;
  }>;
  return found.rows.map((r) => ({
    key: `agent.lost:${r.name}:${r.last_seen}`,
    type: 'agent.lost',
    at: Number(r.last_seen),
    data: { host: r.name, lastSeen: Number(r.last_seen) },
  }));
}

async function newPending(
  tx: WriteContext['tx'],
  since: number,
  now: number,
  everyMs: number,
): Promise<WebhookEvent[]> {
  const [last] = (
    (await tx.execute(sql`
      select coalesce(max((body->>'newest')::bigint), ${since}) as newest,
        coalesce(max(created_at), 0) as posted
      from webhook_events where type = 'agent.pending'`)) as unknown as Rows<{
      newest: string | number;
      posted: string | number;
    }>
  ).rows;
  if (now - Number(last?.posted ?? 0) < everyMs) return [];
  const after = Math.max(Number(last?.newest ?? since), since);
  const found = (await tx.execute(sql`
    select name, key_id, source, first_seen, count(*) over ()::int as total from pending_agents
    where first_seen > ${after} order by first_seen desc limit ${PENDING_NAMED}`)) as unknown as Rows<{
    name: string;
    key_id: string;
    source: string;
    first_seen: string | number;
    total: number;
  }>;
  if (found.rows.length === 0) return [];
  const newest = Math.max(...found.rows.map((r) => Number(r.first_seen)));
  return [
    {
      key: `agent.pending:${newest}`,
      type: 'agent.pending',
      at: newest,
      data: {
        count: found.rows[0]!.total,
        newest,
        agents: found.rows.map((r) => ({ host: r.name, keyId: r.key_id })),
      },
    },
  ];
}

/** `trust.expiring` once per document version when it enters the warning window, and again a day before. */
function expiringTrust(trust: TrustState | null, now: number, days: number): WebhookEvent[] {
  if (!trust) return [];
  const docs = [
    { kind: 'root', version: trust.root.root.version, expiresAt: trust.root.root.expiresAt },
    ...(trust.keyring
      ? [
          {
            kind: 'keyring',
            version: trust.keyring.keyring.version,
            expiresAt: trust.keyring.keyring.expiresAt,
          },
        ]
      : []),
  ];
  const events: WebhookEvent[] = [];
  for (const d of docs) {
    const left = d.expiresAt - now;
    if (left > days * DAY) continue;
    const window = left <= DAY ? '1d' : `${days}d`;
    events.push({
      key: `trust.expiring:${d.kind}:v${d.version}:${window}`,
      type: 'trust.expiring',
      at: now,
      data: {
        document: d.kind,
        version: d.version,
        expiresAt: d.expiresAt,
        expired: left <= 0,
        hoursLeft: Math.max(0, Math.floor(left / 3_600_000)),
      },
    });
  }
  return events;
}

export interface DetectInput {
  config: WebhooksConfig;
  trust: TrustState | null;
  /** only facts after this time are news (the hub's start, less a grace for a restart) */
  since: number;
  now: number;
}

/**
 * Looks for facts worth a post and queues one delivery per subscribed endpoint. Run as
 * one write job: the unique event key makes a fact news once, on whichever hub saw it first.
 */
export async function detectEvents(w: WriteContext, input: DetectInput): Promise<number> {
  const { tx } = w;
  const locked = (await tx.execute(
    sql`select pg_try_advisory_xact_lock(${DETECT_LOCK}) as ok`,
  )) as unknown as Rows<{ ok: boolean }>;
  if (!locked.rows[0]?.ok) return 0;
  const { config, since, now } = input;
  const wanted = (type: WebhookEventType) =>
    config.endpoints.some((e) => !e.events || e.events.includes(type));
  const events = [
    ...(wanted('deploy.finished') || wanted('deploy.failed')
      ? await finishedDeployments(tx, since)
      : []),
    ...(wanted('rollout.finished') || wanted('rollout.halted')
      ? await endedRollouts(tx, since)
      : []),
    ...(wanted('agent.lost') ? await lostAgents(tx, since, now - config.lostAfterMs) : []),
    ...(wanted('agent.pending') ? await newPending(tx, since, now, config.pendingEveryMs) : []),
    ...(wanted('trust.expiring') ? expiringTrust(input.trust, now, config.trustExpiryDays) : []),
  ];
  let queued = 0;
  for (const event of events) {
    const inserted = (await tx.execute(sql`
      insert into webhook_events (key, type, body, created_at)
      values (${event.key}, ${event.type}, ${JSON.stringify({ ...event.data, at: event.at })}::jsonb, ${now})
      on conflict (key) do nothing returning key`)) as unknown as Rows<{ key: string }>;
    if (inserted.rows.length === 0) continue;
    for (const endpoint of config.endpoints) {
      if (endpoint.events && !endpoint.events.includes(event.type)) continue;
      await tx.execute(sql`
        insert into webhook_deliveries (event_key, type, endpoint, status, attempts, next_at, created_at)
        values (${event.key}, ${event.type}, ${endpointName(endpoint)}, 'pending', 0, ${now}, ${now})
        on conflict (event_key, endpoint) do nothing`);
      queued++;
    }
  }
  return queued;
}
