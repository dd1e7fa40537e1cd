import type {
  AgentKeyEvidence,
  AppVersionView,
  Envelope,
  Labels,
  OutputLine,
  ProposalStatus,
  RolloutStart,
  RolloutStatus,
  RolloutStepView,
  Target,
} from '@serfbort/core';
import {
  bigint,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

/** Milliseconds since the epoch; JS numbers are exact up to 2^53, far beyond any date we store. */
const ms = (name: string) => bigint(name, { mode: 'number' });

/** Key/value facts about the hub itself (its id, shared by every node on one database). */
export const hubMeta = pgTable('hub_meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

/** Root chain and keyrings, exactly as signed; the newest version of each kind is current. */
export const trustDocuments = pgTable(
  'trust_documents',
  {
    kind: text('kind').$type<'root' | 'keyring'>().notNull(),
    version: integer('version').notNull(),
    envelope: jsonb('envelope').$type<Envelope>().notNull(),
    digest: text('digest').notNull(),
    storedAt: ms('stored_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.kind, t.version] })],
);

/** Approved agents: one key per host name, with the operator's evidence for it. */
export const agents = pgTable('agents', {
  name: text('name').primaryKey(),
  keyId: text('key_id').notNull(),
  publicKey: text('public_key').notNull(),
  labels: jsonb('labels').$type<Labels>().notNull(),
  apps: jsonb('apps').$type<string[]>().notNull(),
  evidence: jsonb('evidence').$type<AgentKeyEvidence>().notNull(),
  presence: text('presence').$type<'online' | 'left' | 'lost'>().notNull(),
  firstSeen: ms('first_seen').notNull(),
  lastSeen: ms('last_seen').notNull(),
  agentVersion: text('agent_version').notNull(),
  hubNode: text('hub_node'),
  /**
   * The connection (Socket.IO id) that last made it online. A disconnect or goodbye
   * changes presence only while it still names that connection: a reconnect's hello
   * can be written before the old connection's disconnect (seed 6326 of the soak).
   */
  connection: text('connection'),
  appVersions: jsonb('app_versions').$type<Record<string, AppVersionView>>().notNull(),
  approvedAt: ms('approved_at').notNull(),
  /** the agent's newest signed hello: it states the agent's receipt head, for clients to compare */
  hello: jsonb('hello').$type<Envelope>(),
  /** its newest signed receipt-head statement (fresher than the hello) and that head's number */
  head: jsonb('head').$type<Envelope>(),
  headSeq: bigint('head_seq', { mode: 'number' }),
});

/** Keys that said hello but nobody vouched for yet. */
export const pendingAgents = pgTable(
  'pending_agents',
  {
    keyId: text('key_id').primaryKey(),
    name: text('name').notNull(),
    publicKey: text('public_key').notNull(),
    labels: jsonb('labels').$type<Labels>().notNull(),
    apps: jsonb('apps').$type<string[]>().notNull(),
    agentVersion: text('agent_version').notNull(),
    firstSeen: ms('first_seen').notNull(),
    lastSeen: ms('last_seen').notNull(),
    /** the address its last hello came from: the per-address cap counts by it */
    source: text('source').notNull().default(''),
  },
  (t) => [
    index('pending_agents_source_idx').on(t.source, t.lastSeen),
    index('pending_agents_last_seen_idx').on(t.lastSeen),
  ],
);

/** One-time enrollment tokens: only the SHA-256 of the token is ever stored. */
export const enrollmentGrants = pgTable('enrollment_grants', {
  tokenHash: text('token_hash').primaryKey(),
  grant: jsonb('grant').$type<Envelope>().notNull(),
  host: text('host'),
  expiresAt: ms('expires_at').notNull(),
  createdAt: ms('created_at').notNull(),
  usedAt: ms('used_at'),
  usedBy: text('used_by'),
});

export const deployments = pgTable(
  'deployments',
  {
    requestId: text('request_id').primaryKey(),
    digest: text('digest').notNull(),
    app: text('app').notNull(),
    version: text('version').notNull(),
    target: jsonb('target').$type<Target>().notNull(),
    signers: jsonb('signers').$type<string[]>().notNull(),
    signerNames: jsonb('signer_names').$type<string[]>().notNull(),
    issuedAt: ms('issued_at').notNull(),
    expiresAt: ms('expires_at').notNull(),
    submittedAt: ms('submitted_at').notNull(),
    rolloutId: text('rollout_id'),
    envelope: jsonb('envelope').$type<Envelope>().notNull(),
  },
  (t) => [
    index('deployments_submitted_idx').on(t.submittedAt),
    index('deployments_app_idx').on(t.app, t.submittedAt),
    // newest-first pages with a cursor order by (submitted_at, request_id)
    index('deployments_page_idx').on(t.submittedAt, t.requestId),
  ],
);

/** Each targeted host's progress through one deployment; idempotent on (request id, host). */
export const deploymentHosts = pgTable(
  'deployment_hosts',
  {
    requestId: text('request_id').notNull(),
    host: text('host').notNull(),
    app: text('app').notNull(),
    issuedAt: ms('issued_at').notNull(),
    state: text('state').notNull(),
    reason: text('reason'),
    exitCode: integer('exit_code'),
    versionBefore: text('version_before'),
    versionAfter: text('version_after'),
    receipt: jsonb('receipt').$type<Envelope>(),
    /** the receipt's place in its host's chain (v2 receipts); null for v1 */
    receiptSeq: ms('receipt_seq'),
    receiptPrev: text('receipt_prev'),
    output: jsonb('output').$type<OutputLine[]>().notNull(),
    updatedAt: ms('updated_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.requestId, t.host] }),
    index('deployment_hosts_host_idx').on(t.host, t.state),
    index('deployment_hosts_chain_idx').on(t.host, t.receiptSeq),
  ],
);

/** Append-only, hash-chained history: every signed request, trust change, approval and receipt. */
export const auditLog = pgTable('audit_log', {
  seq: ms('seq').primaryKey(),
  at: ms('at').notNull(),
  kind: text('kind').notNull(),
  /** canonical JSON text, hashed exactly as stored */
  body: text('body').notNull(),
  prevHash: text('prev_hash').notNull(),
  hash: text('hash').notNull(),
});

/** Hub nodes sharing this database: each beats; a node whose beat expired is dead. */
export const hubNodes = pgTable('hub_nodes', {
  node: text('node').primaryKey(),
  startedAt: ms('started_at').notNull(),
  lastBeat: ms('last_beat').notNull(),
  expiresAt: ms('expires_at').notNull(),
});

/** Rollouts as their clients reported them: the plan, each step's request, the status. */
export const rollouts = pgTable(
  'rollouts',
  {
    id: text('id').primaryKey(),
    app: text('app').notNull(),
    version: text('version').notNull(),
    kind: text('kind').$type<'rollout' | 'rollback'>().notNull(),
    rollbackOf: text('rollback_of'),
    rolledBackBy: text('rolled_back_by'),
    target: jsonb('target').$type<Target>().notNull(),
    expect: text('expect'),
    options: jsonb('options').$type<RolloutStart['options']>().notNull(),
    budget: integer('budget').notNull(),
    total: integer('total').notNull(),
    lockTtlMs: ms('lock_ttl_ms').notNull(),
    steps: jsonb('steps').$type<RolloutStepView[]>().notNull(),
    status: text('status').$type<RolloutStatus>().notNull(),
    reason: text('reason'),
    ownerKeyId: text('owner_key_id').notNull(),
    ownerName: text('owner_name').notNull(),
    createdAt: ms('created_at').notNull(),
    updatedAt: ms('updated_at').notNull(),
  },
  (t) => [index('rollouts_app_idx').on(t.app, t.createdAt)],
);

/** One rollout per app at a time; a lock past its expiry is free. */
export const rolloutLocks = pgTable('rollout_locks', {
  app: text('app').primaryKey(),
  rolloutId: text('rollout_id').notNull(),
  ownerKeyId: text('owner_key_id').notNull(),
  ownerName: text('owner_name').notNull(),
  acquiredAt: ms('acquired_at').notNull(),
  expiresAt: ms('expires_at').notNull(),
});

/** Facts worth telling a person (webhooks/detect.ts): each stored once per fleet, by key. */
export const webhookEvents = pgTable(
  'webhook_events',
  {
    key: text('key').primaryKey(),
    type: text('type').notNull(),
    body: jsonb('body').$type<Record<string, unknown>>().notNull(),
    createdAt: ms('created_at').notNull(),
  },
  (t) => [index('webhook_events_created_idx').on(t.createdAt)],
);

/** One event's post to one endpoint: the delivery log, and the retry queue. */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    eventKey: text('event_key').notNull(),
    type: text('type').notNull(),
    endpoint: text('endpoint').notNull(),
    status: text('status').$type<'pending' | 'sending' | 'delivered' | 'failed'>().notNull(),
    attempts: integer('attempts').notNull(),
    nextAt: ms('next_at').notNull(),
    leaseUntil: ms('lease_until'),
    lastStatus: integer('last_status'),
    lastError: text('last_error'),
    createdAt: ms('created_at').notNull(),
    deliveredAt: ms('delivered_at'),
  },
  (t) => [
    uniqueIndex('webhook_deliveries_event_endpoint_idx').on(t.eventKey, t.endpoint),
    index('webhook_deliveries_due_idx').on(t.status, t.nextAt),
  ],
);

/**
 * Deploy requests waiting for co-signatures. `envelope` grows by one signature per
 * co-signer (its payload never changes); `revision` counts those writes so two signers
 * at once cannot overwrite each other. An open one past `expires_at` reads `expired` at once;
 * the expiry loop (proposals/expiry.ts) stores that and tells operators.
 */
export const proposals = pgTable(
  'proposals',
  {
    requestId: text('request_id').primaryKey(),
    digest: text('digest').notNull(),
    app: text('app').notNull(),
    envelope: jsonb('envelope').$type<Envelope>().notNull(),
    proposedBy: text('proposed_by').notNull(),
    proposedByName: text('proposed_by_name'),
    createdAt: ms('created_at').notNull(),
    expiresAt: ms('expires_at').notNull(),
    status: text('status').$type<ProposalStatus>().notNull(),
    revision: integer('revision').notNull(),
    updatedAt: ms('updated_at').notNull(),
  },
  (t) => [
    index('proposals_created_idx').on(t.createdAt),
    index('proposals_proposer_idx').on(t.proposedBy, t.status),
    index('proposals_expiry_idx').on(t.status, t.expiresAt),
  ],
);

export const schema = {
  proposals,
  rollouts,
  rolloutLocks,
  hubNodes,
  hubMeta,
  trustDocuments,
  agents,
  pendingAgents,
  enrollmentGrants,
  deployments,
  deploymentHosts,
  auditLog,
  webhookEvents,
  webhookDeliveries,
};
