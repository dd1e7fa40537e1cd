import type {
  AgentToHubEvents,
  Envelope,
  HubToAgentEvents,
  HubToOperatorEvents,
  OperatorToHubEvents,
  Speaks,
} from '@serfbort/core';
import type { Logger } from 'pino';
import type { Namespace } from 'socket.io';
import type { HubConfig } from './config/config.js';
import type { Db } from './db/open.js';
import type { WriteQueue } from './db/write-queue.js';
import type {
  AdmissionGate,
  Cluster,
  HostProblemStore,
  HubServices,
  Sessions,
  Trust,
  TrustReportStore,
} from './hub-services.js';
import type { Metrics } from './metrics.js';

export interface AgentSocketData {
  nonce?: string;
  /** set once the hello verified: approved agents are in their rooms, pending ones wait */
  status?: 'approved' | 'pending';
  host?: string;
  keyId?: string;
  /** the approved key, base64: receipts and check answers must verify with it */
  publicKey?: string;
  /** a newer connection of the same host took over: this one's disconnect changes nothing */
  replaced?: boolean;
  /** said goodbye: the following disconnect is "left", not "lost" */
  leaving?: boolean;
  /** the payload versions its hello announced (a v1 hello: version 1 of everything) */
  speaks?: Speaks;
  /** its verified hello, kept for the agents row once it is admitted (the hello states its receipt head) */
  hello?: Envelope;
}

export interface OperatorSocketData {
  nonce?: string;
  role?: 'operator' | 'viewer';
  keyId?: string;
  name?: string;
  /** the payload versions its hello announced */
  speaks?: Speaks;
}

export type AgentNamespace = Namespace<
  AgentToHubEvents,
  HubToAgentEvents,
  Record<string, never>,
  AgentSocketData
>;
export type OperatorNamespace = Namespace<
  OperatorToHubEvents,
  HubToOperatorEvents,
  Record<string, never>,
  OperatorSocketData
>;

/** What the services are built from (create-services.ts); built once by startHub. */
export interface HubBase {
  config: HubConfig;
  hubId: string;
  log: Logger;
  db: Db;
  writes: WriteQueue;
  trust: Trust;
  metrics: Metrics;
  /** per-source-address bounds before approval */
  admission: AdmissionGate;
  sessions: Sessions;
  /** approved hosts whose hellos this node refused, and why */
  hostProblems: HostProblemStore;
  /** hosts' signed trust reports, as this node received them (absent: none kept) */
  trustReports?: TrustReportStore;
  /** the other hubs sharing the database (inert with one hub) */
  cluster: Cluster;
  agents: AgentNamespace;
  operators: OperatorNamespace;
  now(): number;
  /** keeps in-flight work visible to graceful shutdown */
  track(work: Promise<unknown>): void;
}

/** What every handler and service may use: the base and the per-hub services. */
export interface HubContext extends HubBase, HubServices {}
