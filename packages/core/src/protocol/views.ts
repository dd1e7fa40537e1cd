import type { ErrorCode } from '../codes.js';
import type { Envelope } from '../envelope/envelope.js';
import type { AgentProblem } from '../schemas/agents.js';
import type { ReceiptStatus, Target } from '../schemas/deploy.js';
import type { Labels } from '../schemas/primitives.js';
import type { ProposalStatus } from '../schemas/proposals.js';
import type { RolloutStart, RolloutStatus } from '../schemas/rollout.js';
import type { OutputLine } from '../schemas/wire.js';
import type { DeploymentOutcome } from './deploy-history.js';

/** Every acknowledgement: data, or a stable code with a message for people. */
export type Ack<T> =
  | { ok: true; data: T }
  | { ok: false; error: { code: ErrorCode; message: string } };
export type AckFn<T> = (ack: Ack<T>) => void;

export interface Challenge {
  nonce: string;
  hubId: string;
  serverTime: number;
}

/** The root chain (oldest first) and the current keyring, as the hub holds them. */
export interface TrustBundle {
  roots: Envelope[];
  keyring: Envelope | null;
}

export type HostPresence = 'online' | 'left' | 'lost';

/** Why an approved host is not online although it tries to be (its last hello was refused). */
export interface HostProblem {
  code: 'CLOCK_SKEW';
  detail: string;
  /** the agent's clock minus the hub's, as its refused hello showed it */
  skewMs: number;
  at: number;
}

export interface AppVersionView {
  version: string | null;
  at: number;
  error?: string;
}

/** The last deploy the hub relayed to a host for one app, for drift detection. */
export interface LastDeployView {
  requestId: string;
  version: string;
  state: HostState;
  versionAfter: string | null;
  at: number;
}

/**
 * How a host's labels stand: signed by an operator's approval, announced since as
 * something else (the hub still routes by the approved ones), or never signed (a
 * version-1 approval or an enrollment: the agent's own word).
 */
export type LabelState = 'approved' | 'changed' | 'not-approved';

export interface HostView {
  name: string;
  /** the labels the hub routes by: the approved ones when an operator signed them */
  labels: Labels;
  labelState?: LabelState;
  /** what the agent announces instead, while labelState is 'changed' */
  announcedLabels?: Labels;
  state: HostPresence;
  /** set while the host's hellos are refused for something only its operator can fix */
  problem?: HostProblem;
  /** what the online agent itself reports keeps it from deploying (full disk, expired trust) */
  problems?: AgentProblem[];
  approved: boolean;
  keyId: string;
  agentVersion: string;
  lastSeen: number;
  /** hub node holding the connection, when online */
  hub?: string;
  apps: Record<string, AppVersionView>;
  lastDeploys: Record<string, LastDeployView>;
  pendingDeploys: { requestId: string; app: string; version: string; expiresAt: number }[];
  /** the host's own signed trust report, relayed as it sent it; clients verify it */
  trustReport?: Envelope;
}

export type HostState =
  | 'pending'
  | 'delivered'
  | 'accepted'
  | 'running'
  | 'expired'
  | ReceiptStatus;

export const FINAL_HOST_STATES: readonly HostState[] = [
  'succeeded',
  'failed',
  'rejected',
  'timed-out',
  'interrupted',
  'expired',
];

export interface HostProgress {
  host: string;
  state: HostState;
  reason?: string;
  exitCode?: number | null;
  versionBefore?: string | null;
  versionAfter?: string | null;
  updatedAt: number;
  /** the host's signed receipt, for clients to verify themselves */
  receipt?: Envelope;
  /** the newest output lines (bounded) */
  output?: OutputLine[];
}

export interface DeploymentView {
  requestId: string;
  app: string;
  version: string;
  target: Target;
  signers: string[];
  signerNames: string[];
  issuedAt: number;
  expiresAt: number;
  submittedAt: number;
  rolloutId?: string;
  envelope: Envelope;
  hosts: HostProgress[];
}

export interface DeploymentSummary {
  requestId: string;
  app: string;
  version: string;
  target: Target;
  signerNames: string[];
  submittedAt: number;
  expiresAt: number;
  rolloutId?: string;
  counts: Partial<Record<HostState, number>>;
  /** how many of the `expired` hosts were superseded by a newer request (absent when none) */
  superseded?: number;
  /** as deploy-history.ts defines it (hubs before it did not send it) */
  outcome?: DeploymentOutcome;
}

/** A change to one host of one deployment, streamed to everyone watching it. */
export interface DeploymentUpdate {
  requestId: string;
  host: HostProgress;
  /** output lines new since the previous update */
  lines?: OutputLine[];
}

export interface CheckResult {
  checkId: string;
  app: string;
  /** signed check answers; clients verify them against approved agent keys */
  answers: Envelope[];
  /** targeted hosts that are offline or did not answer in time */
  unreachable: string[];
}

export interface PendingAgent {
  name: string;
  keyId: string;
  publicKey: string;
  fingerprint: string;
  /** the labels an approval would sign: what the agent announces */
  labels: Labels;
  /** set when this key is approved already and announces other labels than these */
  approvedLabels?: Labels;
  apps: string[];
  firstSeen: number;
  lastSeen: number;
}

/** Why clients may believe this agent key belongs to this host: an operator said so. */
export type AgentKeyEvidence =
  | { kind: 'approval'; approval: Envelope }
  | { kind: 'enrollment'; grant: Envelope; hello: Envelope };

export interface AgentKeyRecord {
  host: string;
  keyId: string;
  publicKey: string;
  evidence: AgentKeyEvidence;
}

export interface AuditVerdict {
  ok: boolean;
  rows: number;
  /** sequence number of the first row whose hash or link does not verify */
  firstBroken?: number;
  headHash?: string;
}

/** Who holds an app's rollout lock, until when. */
export interface LockView {
  app: string;
  rolloutId: string;
  ownerKeyId: string;
  ownerName: string;
  acquiredAt: number;
  expiresAt: number;
}

export interface RolloutStepView {
  index: number;
  kind: 'canary' | 'batch' | 'rollback';
  hosts: string[];
  version?: string;
  /** the signed request released for this step, once the client released it */
  requestId?: string;
  releasedAt?: number;
}

/**
 * A rollout as the hub records it. Informative only: the client that drives it
 * decides from the hosts' verified receipts, never from this.
 */
export interface RolloutView {
  id: string;
  app: string;
  version: string;
  target: Target;
  expect?: string;
  kind: 'rollout' | 'rollback';
  rollbackOf?: string;
  /** a rollback started for this rollout, when there is one */
  rolledBackBy?: string;
  options: RolloutStart['options'];
  budget: number;
  total: number;
  lockTtlMs: number;
  steps: RolloutStepView[];
  status: RolloutStatus;
  reason?: string;
  ownerKeyId: string;
  ownerName: string;
  createdAt: number;
  updatedAt: number;
  /** the lock while this rollout holds it */
  lock?: LockView;
}

/**
 * A host's receipts as the hub serves them, oldest first, and the agent's newest signed
 * hello (it states the agent's own receipt head). The client believes neither ordering
 * nor completeness: it verifies the chain itself.
 */
export interface HostHistory {
  host: string;
  receipts: Envelope[];
  /** the agent's last hello (agent-auth v3 carries its receipt head); null if none stored */
  hello: Envelope | null;
  /** the agent's newest signed receipt-head statement, fresher than its hello; absent from older hubs */
  head?: Envelope | null;
}

/** The newest row of the audit chain; seq 0 and the genesis hash when it is empty. */
export interface AuditHead {
  seq: number;
  hash: string;
}

/**
 * A deploy request waiting for co-signatures, as the hub stores it. Everything but the
 * envelope is the hub's word: clients judge signers, threshold and expiry from the
 * envelope against their own verified keyring (client/proposals), and believe
 * `submitted` only after finding the deployment with the same payload.
 */
export interface ProposalView {
  requestId: string;
  /** the deploy request with every signature gathered so far, payload bytes untouched */
  envelope: Envelope;
  /** key id of the operator whose session created it */
  proposedBy: string;
  /** that operator's keyring name, as the hub read it */
  proposedByName?: string;
  createdAt: number;
  /** the request's own expiresAt */
  expiresAt: number;
  status: ProposalStatus;
  /** the deployment's id (the request id) once submitted */
  deploymentId?: string;
}

/** What `proposal:changed` tells operators; they fetch the proposal to see more. */
export interface ProposalChange {
  requestId: string;
  status: ProposalStatus;
}
