import type {
  AgentProblem,
  Envelope,
  HostProblem,
  HostProblemCode,
  HostState,
  KeyringDocument,
  OutputLine,
  TrustBundle,
  TrustState,
  VerifiedKeyring,
  Verifier,
} from '@serfbort/core';
import type { Socket } from 'socket.io';
import type { Db } from './db/open.js';
import type { agents } from './db/schema.js';

// What the hub context holds, as interfaces: the context and everything that uses a
// service depend on these, only startHub (via create-services.ts) on the classes, so
// no folder has to import another to reach per-hub state.

export type AgentRow = typeof agents.$inferSelect;

/** What routing and admission need of an approved agent. */
export type AdmittedAgent = Pick<AgentRow, 'name' | 'keyId' | 'publicKey' | 'labels'>;

export interface PresenceChange {
  host: string;
  keyId: string;
  presence: 'left' | 'lost';
  now: number;
  /** the connection that ended: a newer one of the same host is left alone */
  connection: string;
  onlyNode?: string;
}

export interface KnownHello {
  host: string;
  keyId: string;
  labels: AgentRow['labels'];
  apps: string[];
  agentVersion: string;
  now: number;
  node: string;
  /** the connection it came on (agents.connection) */
  connection: string;
  /** the signed hello itself: it states the agent's receipt head, which clients compare */
  hello: Envelope;
}

export interface HostChange {
  requestId: string;
  host: string;
  state: HostState;
  reason?: string;
  lines?: OutputLine[];
}

export interface Delivery {
  requestId: string;
  host: string;
}

export interface PendingRequest {
  requestId: string;
  app: string;
  expiresAt: number;
  envelope: Envelope;
}

/** The hub's verified copy of the root chain and keyring (trust/trust-service.ts). */
export interface Trust {
  bundle(): TrustBundle;
  /** trustBundleDigest of bundle(), kept until the trust changes */
  bundleDigest(): string;
  current(): TrustState | null;
  keyring(): VerifiedKeyring | null;
  /** An unexpired operator of the current keyring, with its raw key. */
  operator(
    keyId: string,
  ): { entry: KeyringDocument['operators'][number]; publicKey: Uint8Array } | undefined;
  /** Verifies and stores one document; publishes are serialized. */
  publish(
    kind: 'root' | 'keyring',
    envelope: Envelope,
  ): Promise<{ version: number; changed: boolean }>;
  /** Picks up documents another hub stored; true when something changed. */
  refresh(): Promise<boolean>;
}

/** Approved agents connected to this node, one socket per host (agents/sessions.ts). */
export interface Sessions {
  /** Returns the socket this one replaces, if any. */
  set(host: string, socket: Socket): Socket | undefined;
  get(host: string): Socket | undefined;
  /** Forgets the host only if this socket is still the one holding it. */
  delete(host: string, socket: Socket): boolean;
  has(host: string): boolean;
  connections(): { host: string; connection: string }[];
  readonly size: number;
}

/**
 * Hints between hubs. Each is also discoverable from the database (the truth), so a
 * message lost in a Redis outage only delays, never loses, what it announces.
 */
export type ClusterMessage =
  /** a stored deploy: hubs deliver it to the targeted hosts connected to them */
  | { type: 'deploy'; requestId: string; envelope: Envelope; hosts: string[] }
  /** a trust document was stored: reload it and tell local agents and operators */
  | { type: 'trust' }
  /** an operator approved this key for this host: admit it if it waits here */
  | { type: 'approved'; host: string; keyId: string }
  /** the host connected to `node`: an older connection elsewhere is dropped */
  | { type: 'claimed'; host: string; node: string }
  /** a rollout changed: tell the operators watching it here */
  | { type: 'rollout'; id: string };

/** What every handler may use to talk to the other hubs; inert with one hub. */
export interface Cluster {
  readonly enabled: boolean;
  /** set in cluster mode: presence changes apply only while the host is on this node */
  readonly onlyNode: string | undefined;
  /** to every other hub (not this one) */
  publish(message: ClusterMessage): void;
  /** Redis answers (true without Redis) */
  healthy(): Promise<boolean>;
}

/** Fleet subscribers hear that a host changed (agents/host-changes.ts). */
export interface HostChanges {
  publish(host: string): void;
  /** drops announcements not yet sent (shutdown) */
  close(): void;
}

/** Public keys already admitted, and the verifier that trusts them (agents/admitted-keys.ts). */
/** Per-source-address bounds in front of approval (protocol/admission.ts). */
export interface AdmissionGate {
  /** a new connection: false when its address opens connections faster than allowed */
  connect(socket: Socket, now: number): boolean;
  /** the connection proved a key someone vouched for: it gives its connection token back */
  proven(socket: Socket): void;
  /** a verified hello of an unapproved key without a token: false when over the bucket */
  unknownHello(socket: Socket, now: number): boolean;
}

export interface AdmittedKeys {
  all(): Promise<Set<string>>;
  /** A key that just passed admission (approval, enrollment, hello). */
  remember(publicKey: string): Promise<void>;
  /** The strict verifier for a key from the agents table. */
  verifierFor(admittedKey: Uint8Array): Verifier;
}

/** Presence and hello writes of a reconnecting fleet, batched per tick (agents/batched-writes.ts). */
export interface AgentWrites {
  recordPresence(change: PresenceChange): Promise<undefined>;
  /** The approved agent when the hello's host and key are already bound; null otherwise. */
  recordKnownHello(hello: KnownHello): Promise<AdmittedAgent | null>;
}

/** Host states of a deployment, moved only forward (deploy/host-state.ts). */
export interface HostMoves {
  /** false when the move was not allowed */
  advance(change: HostChange): Promise<boolean>;
}

/** Acknowledged deliveries, written per tick (deploy/mark-delivered.ts). */
export interface DeliveryMarks {
  mark(delivery: Delivery): void;
}

/** This node's record of what it sent, and its reads of pending requests (deploy/deliver.ts). */
export interface Deliveries {
  noteSent(requestId: string, host: string): void;
  /** when (performance.now()) this node last sent the request to the host */
  lastSent(requestId: string, host: string): number | undefined;
  /** forgets sends older than `cutoff`: they are no longer in flight */
  forgetSentBefore(cutoff: number): void;
  /** Each of the host's unanswered (pending or delivered) requests, newest first. */
  readPending(host: string): Promise<PendingRequest[]>;
}

/** The per-hub services startHub creates (create-services.ts) and the context owns. */
export interface HubServices {
  hostChanges: HostChanges;
  admittedKeys: AdmittedKeys;
  agentWrites: AgentWrites;
  hostMoves: HostMoves;
  deliveryMarks: DeliveryMarks;
  deliveries: Deliveries;
}

/** Why approved hosts that keep trying cannot come online (agents/host-problems.ts). */
export interface HostProblemStore {
  get(host: string): HostProblem | undefined;
  /** True when the host is approved for this key and the problem was recorded. */
  recordSkew(
    db: Db,
    skew: { host: string; keyId: string; skewMs: number },
    now: number,
  ): Promise<boolean>;
  /** A hello that passed: the problem is gone. */
  clear(host: string): boolean;
  /** What an online agent connected to this node reports (its presence), if anything. */
  reported(host: string): AgentProblem[] | undefined;
  /** True when what the host reports changed. */
  report(host: string, problems: readonly AgentProblem[]): boolean;
  /** The host's connection to this node ended. */
  forget(host: string): boolean;
  /** Hosts per problem code, zeros included. */
  counts(): Record<HostProblemCode, number>;
}

/** Each host's latest signed trust report (agents/trust-reports.ts). */
export interface TrustReportStore {
  get(host: string, keyId: string): Envelope | undefined;
  accept(host: string, keyId: string, publicKey: string, input: unknown, verifier: Verifier): void;
}
