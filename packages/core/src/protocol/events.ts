import type { AuditRow } from '../audit/chain.js';
import type { Envelope } from '../envelope/envelope.js';
import type { PresenceReport } from '../schemas/agents.js';
import type {
  ProposalCreate,
  ProposalListQuery,
  ProposalQuery,
  ProposalSign,
  ProposalStatus,
} from '../schemas/proposals.js';
import type { RolloutControl, RolloutStart } from '../schemas/rollout.js';
import type {
  AuditRowsQuery,
  CheckRunQuery,
  DeploymentQuery,
  DeployProgress,
  HelloAnswer,
  HelloOptions,
  HostHeadsQuery,
  HostHistoryQuery,
  HostQuery,
  LockQuery,
  RolloutListQuery,
  RolloutQuery,
  RolloutResumeQuery,
} from '../schemas/wire.js';
import type {
  DeploymentListQuery,
  DeploymentStats,
  DeploymentStatsQuery,
} from './deploy-history.js';
import type {
  AckFn,
  AgentKeyRecord,
  AuditHead,
  AuditVerdict,
  Challenge,
  CheckResult,
  DeploymentSummary,
  DeploymentUpdate,
  DeploymentView,
  HostHistory,
  HostView,
  LockView,
  PendingAgent,
  ProposalChange,
  ProposalView,
  RolloutView,
  TrustBundle,
} from './views.js';

export const AGENT_NAMESPACE = '/agent';
export const OPERATOR_NAMESPACE = '/operator';

/** Socket.IO rooms on the agent namespace: one per label (key=value and bare key) and one per host. */
export const rooms = {
  host: (name: string) => `host:${name}`,
  label: (key: string, value: string) => `label:${key}=${value}`,
  labelKey: (key: string) => `labelkey:${key}`,
  deployment: (requestId: string) => `deployment:${requestId}`,
  fleet: 'fleet',
  rollout: (id: string) => `rollout:${id}`,
  rollouts: 'rollouts',
  /** every authenticated operator and viewer: `proposal:changed` goes here */
  proposals: 'proposals',
} as const;

/**
 * Agent → hub. Before `auth:hello` succeeds only `auth:challenge` and `auth:hello`
 * are answered; anything else gets UNAUTHENTICATED.
 */
export interface AgentToHubEvents {
  'auth:challenge': (cb: AckFn<Challenge>) => void;
  /**
   * a signed agent-auth payload (see schemas/agents.ts); agents since the trust digest
   * send HelloOptions after it, and hubs before it ignore them
   */
  'auth:hello': (
    auth: Envelope,
    ...rest: [cb: AckFn<HelloAnswer>] | [options: HelloOptions, cb: AckFn<HelloAnswer>]
  ) => void;
  presence: (report: PresenceReport, cb: AckFn<null>) => void;
  'deploy:progress': (progress: DeployProgress, cb: AckFn<null>) => void;
  /** a signed receipt; idempotent on (request id, host) */
  'deploy:receipt': (receipt: Envelope, cb: AckFn<{ stored: boolean }>) => void;
  /** goodbye: the host is shutting down on purpose ("left", not "lost") */
  leave: (cb: AckFn<null>) => void;
  /** a signed trust report (schemas/agents.ts): the root and keyring the agent holds now */
  'trust:report': (report: Envelope, cb: AckFn<null>) => void;
  /** a signed receipt-head statement (schemas/agents.ts): the agent's newest receipt now */
  'agent:head': (statement: Envelope, cb: AckFn<null>) => void;
}

export interface HubToAgentEvents {
  /** the operator's signed request, relayed byte for byte; the ack means "received" */
  'deploy:request': (request: Envelope, cb: (ack: { received: true }) => void) => void;
  'trust:update': (trust: TrustBundle) => void;
  /** an operator approved this pending agent; it is now in its rooms */
  'auth:approved': (trust: TrustBundle) => void;
  /** run the version-report command now and answer with a signed check-answer (v2 to `request`) */
  'check:run': (
    query: { checkId: string; app: string; request?: Envelope },
    cb: (answer: Envelope) => void,
  ) => void;
}

/** Operator (CLI, dashboard) → hub. Viewers may only read. */
export interface OperatorToHubEvents {
  'auth:challenge': (cb: AckFn<Challenge>) => void;
  'auth:hello': (
    auth: { envelope: Envelope } | { viewerToken: string },
    cb: AckFn<{ role: 'operator' | 'viewer'; keyId?: string; name?: string }>,
  ) => void;
  /** documents verify themselves, so these work before authentication */
  'trust:get': (cb: AckFn<TrustBundle>) => void;
  'trust:publish': (
    doc: { kind: 'root' | 'keyring'; envelope: Envelope },
    cb: AckFn<{ version: number }>,
  ) => void;
  'hosts:list': (query: HostQuery, cb: AckFn<HostView[]>) => void;
  /** live fleet: afterwards the hub emits `hosts:changed` */
  'hosts:subscribe': (cb: AckFn<null>) => void;
  'deploy:submit': (request: Envelope, cb: AckFn<DeploymentView>) => void;
  /** the deployment now, and `deploy:update` events from then on */
  'deploy:watch': (query: DeploymentQuery, cb: AckFn<DeploymentView>) => void;
  'deploy:unwatch': (query: DeploymentQuery, cb: AckFn<null>) => void;
  'deploy:list': (query: DeploymentListQuery, cb: AckFn<DeploymentSummary[]>) => void;
  /** per app per day: deploys, failures and durations, computed by the hub (not verified) */
  'deploy:stats': (query: DeploymentStatsQuery, cb: AckFn<DeploymentStats>) => void;
  'check:run': (query: CheckRunQuery, cb: AckFn<CheckResult>) => void;
  'agents:pending': (cb: AckFn<PendingAgent[]>) => void;
  /** an operator-signed approval payload */
  'agents:approve': (approval: Envelope, cb: AckFn<{ host: string }>) => void;
  /** an operator-signed enrollment grant (holds only the token's hash) */
  'agents:grant': (grant: Envelope, cb: AckFn<{ expiresAt: number }>) => void;
  'agents:keys': (cb: AckFn<AgentKeyRecord[]>) => void;
  'audit:verify': (cb: AckFn<AuditVerdict>) => void;
  /** the audit chain's newest row, which clients remember to catch a rebuilt history */
  'audit:head': (cb: AckFn<AuditHead>) => void;
  /** audit rows after a sequence number, so a client verifies the chain itself */
  'audit:rows': (query: AuditRowsQuery, cb: AckFn<AuditRow[]>) => void;
  /** a host's receipts oldest first and its agent's last signed hello (its receipt head) */
  'hosts:history': (query: HostHistoryQuery, cb: AckFn<HostHistory>) => void;
  /**
   * `hosts:history` with a limit of 1 for many hosts in one request, in the order asked;
   * a hub without it answers BAD_REQUEST "unknown event" (the client then asks per host)
   */
  'hosts:heads': (query: HostHeadsQuery, cb: AckFn<HostHistory[]>) => void;
  /**
   * Take the app's lock and record the plan. Refused with LOCKED (owner and age in the
   * message) while another rollout of the app holds an unexpired lock.
   */
  'rollout:start': (start: RolloutStart, cb: AckFn<RolloutView>) => void;
  /** retake an unfinished rollout whose client went away (its lock is free, expired or its own) */
  'rollout:resume': (query: RolloutResumeQuery, cb: AckFn<RolloutView>) => void;
  /** the driver's status changes, and lock renewal (no status) while it runs */
  'rollout:control': (control: RolloutControl, cb: AckFn<RolloutView>) => void;
  /** the rollout now, and `rollout:changed` events from then on */
  'rollout:watch': (query: RolloutQuery, cb: AckFn<RolloutView>) => void;
  'rollout:list': (query: RolloutListQuery, cb: AckFn<RolloutView[]>) => void;
  /** live list: afterwards the hub emits `rollout:changed` for every rollout */
  'rollouts:subscribe': (cb: AckFn<null>) => void;
  'lock:status': (query: LockQuery, cb: AckFn<LockView | null>) => void;
  /** an operator-signed lock-release payload: the owner's, or any operator's allowed the app */
  'lock:release': (release: Envelope, cb: AckFn<{ app: string; rolloutId: string }>) => void;
  /**
   * A deploy request that needs more signatures. Submitted at once (status `submitted`)
   * when its signatures already meet the app's threshold.
   */
  'proposal:create': (
    input: ProposalCreate,
    cb: AckFn<{ requestId: string; status: ProposalStatus }>,
  ) => void;
  /** newest first; viewers may read */
  'proposal:list': (query: ProposalListQuery, cb: AckFn<ProposalView[]>) => void;
  'proposal:get': (query: ProposalQuery, cb: AckFn<ProposalView>) => void;
  /**
   * One co-signature over the stored payload; the proposal afterwards (submitted, with
   * its deploymentId, when the signatures met the threshold: the signer then watches it)
   */
  'proposal:sign': (input: ProposalSign, cb: AckFn<ProposalView>) => void;
  /** by its proposer, or any operator allowed its app */
  'proposal:withdraw': (query: ProposalQuery, cb: AckFn<ProposalView>) => void;
}

export interface HubToOperatorEvents {
  'hosts:changed': (host: HostView) => void;
  'deploy:update': (update: DeploymentUpdate) => void;
  'trust:update': (trust: TrustBundle) => void;
  'rollout:changed': (rollout: RolloutView) => void;
  /** a proposal was created, signed, submitted, withdrawn or expired */
  'proposal:changed': (change: ProposalChange) => void;
}
