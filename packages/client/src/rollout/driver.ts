import type {
  DeploymentView,
  DeployRequest,
  Envelope,
  HostProgress,
  RolloutControl,
  RolloutStart,
  RolloutStatus,
  RolloutView,
  Verifier,
} from '@serfbort/core';
import {
  deployRequest,
  FINAL_ROLLOUT_STATUSES,
  openEnvelope,
  PAYLOAD_TYPES,
  sha256Hex,
} from '@serfbort/core';
import { buildDeployRequest } from '../request/build-request.js';
import { plural } from '../words/plural.js';
import { startedRolloutMismatch, stepRequestMismatch } from './belongs.js';
import type { RolloutStep } from './plan.js';
import type { HostResult } from './results.js';
import { classifyHost, failuresOf } from './results.js';
import { planRollback } from './rollback.js';

/**
 * Everything the driver needs from the outside world. The CLI implements it with
 * a key file and socket.io-client in Node, the dashboard with tweetnacl in the browser.
 */
export interface RolloutIO {
  now(): number;
  /** a fresh random request or rollout id */
  newId(): string;
  /** key ids of the keys `sign` signs with */
  signerIds: readonly string[];
  sign(request: DeployRequest): Promise<Envelope>;
  submit(envelope: Envelope): Promise<DeploymentView>;
  deployment(requestId: string): Promise<DeploymentView | null>;
  /** which of these hosts are connected right now */
  online(hosts: readonly string[]): Promise<ReadonlySet<string>>;
  /** resolves when every host has a final state or the deadline passed */
  awaitStep(
    requestId: string,
    hosts: readonly string[],
    deadline: number,
  ): Promise<ReadonlyMap<string, HostProgress>>;
  start(spec: RolloutStart): Promise<RolloutView>;
  control(control: RolloutControl): Promise<RolloutView>;
  /** the newest view of this rollout the hub pushed: someone may have paused or aborted it */
  latest(id: string): RolloutView | undefined;
  /** resolves after ms, or sooner when the hub pushes a change to the rollout */
  idle(ms: number): Promise<void>;
  agentKeys: ReadonlyMap<string, Uint8Array>;
  verifier: Verifier;
  report(event: RolloutEvent): void;
}

export type RolloutEvent =
  | { type: 'step-released'; rollout: RolloutView; step: RolloutStep; requestId: string }
  | { type: 'step-resumed'; rollout: RolloutView; step: RolloutStep; requestId: string }
  | {
      type: 'step-done';
      rollout: RolloutView;
      step: RolloutStep;
      results: HostResult[];
      failures: number;
    }
  | { type: 'waiting'; rollout: RolloutView; ms: number }
  | { type: 'paused'; rollout: RolloutView }
  | { type: 'stopped'; rollout: RolloutView; status: RolloutStatus; reason?: string }
  | { type: 'rollback-skipped'; rollout: RolloutView; host: string; why: string };

export interface RolloutOutcome {
  rollout: RolloutView;
  status: RolloutStatus;
  reason?: string;
  results: HostResult[];
  /** the rollback this rollout's halt started, when it did */
  rollback?: RolloutOutcome;
}

/**
 * A step's request, from the one request builder: the step's hosts by name, so no hub can
 * widen it to the next step's.
 */
export function stepRequest(
  rollout: Pick<RolloutView, 'id' | 'app' | 'version' | 'expect' | 'options'> & {
    steps: readonly unknown[];
  },
  step: RolloutStep,
  io: Pick<RolloutIO, 'now' | 'newId' | 'signerIds'>,
): DeployRequest {
  const built = buildDeployRequest(
    {
      app: rollout.app,
      version: step.version ?? rollout.version,
      target: { hosts: [...step.hosts] },
      lifetimeMs: rollout.options.stepTimeoutMs,
      ...(rollout.expect !== undefined && step.kind !== 'rollback'
        ? { expect: rollout.expect }
        : {}),
      rollout: { id: rollout.id, step: step.index, steps: rollout.steps.length },
    },
    io,
  );
  if (!built.ok)
    throw new RolloutError('STEP_MISMATCH', `step ${step.index + 1}'s request: ${built.detail}`);
  return built.value;
}

export class RolloutError extends Error {
  constructor(
    readonly code: 'STEP_MISMATCH' | 'STEP_MISSING',
    message: string,
  ) {
    super(message);
  }
}

/** A released step's request, as the hub hands it back: it must be this step's, exactly. */
function openStepRequest(rollout: RolloutView, step: RolloutStep, view: DeploymentView) {
  const opened = openEnvelope(view.envelope, PAYLOAD_TYPES.deploy);
  const parsed = opened.ok ? deployRequest.safeParse(opened.value.payload) : undefined;
  const req = parsed?.success ? parsed.data : undefined;
  if (!opened.ok || !req || stepRequestMismatch(req, rollout, step) !== null)
    throw new RolloutError(
      'STEP_MISMATCH',
      `the hub's request for step ${step.index + 1} does not belong to rollout ${rollout.id}`,
    );
  return { request: req, digest: sha256Hex(opened.value.payloadBytes) };
}

/**
 * The hub answers `rollout:start` with its record of the rollout; the driver signs from
 * that record, so it must be exactly what the client asked for.
 */
export function checkStartedRollout(spec: RolloutStart, view: RolloutView): RolloutView {
  if (startedRolloutMismatch(spec, view) !== null)
    throw new RolloutError(
      'STEP_MISMATCH',
      `the hub recorded rollout ${spec.id} with another plan than the one asked for`,
    );
  return view;
}

type Gate = { go: true } | { go: false; status: RolloutStatus; reason?: string };

/** Waits out a pause; stops when anyone ended the rollout meanwhile. */
async function gate(rollout: RolloutView, io: RolloutIO, waitMs: number): Promise<Gate> {
  const until = io.now() + waitMs;
  let reportedPause = false;
  for (;;) {
    const latest = io.latest(rollout.id) ?? rollout;
    if (FINAL_ROLLOUT_STATUSES.includes(latest.status))
      return {
        go: false,
        status: latest.status,
        ...(latest.reason ? { reason: latest.reason } : {}),
      };
    const left = until - io.now();
    if (latest.status === 'paused') {
      if (!reportedPause) io.report({ type: 'paused', rollout: latest });
      reportedPause = true;
      await io.idle(1_000);
    } else if (left > 0) {
      await io.idle(Math.min(left, 1_000));
    } else return { go: true };
  }
}

/**
 * Releases the plan's steps one at a time. A step is signed only after every
 * receipt of the steps before it verified and the failure budget still held,
 * so a hub that ignores the plan cannot reach the next step's hosts.
 * Steps released earlier (a resumed rollout) are judged from their receipts again.
 */
export async function driveRollout(rollout: RolloutView, io: RolloutIO): Promise<RolloutOutcome> {
  const results: HostResult[] = [];
  const end = async (status: 'succeeded' | 'halted', reason?: string): Promise<RolloutOutcome> => {
    const latest = io.latest(rollout.id) ?? rollout;
    const view = FINAL_ROLLOUT_STATUSES.includes(latest.status)
      ? latest
      : await io.control({ id: rollout.id, status, ...(reason ? { reason } : {}) });
    io.report({ type: 'stopped', rollout: view, status, ...(reason ? { reason } : {}) });
    return { rollout: view, status, ...(reason ? { reason } : {}), results };
  };

  for (const [i, step] of rollout.steps.entries()) {
    let requestId: string;
    let digest: string;
    let deadline: number;
    let online: ReadonlySet<string>;
    if (step.requestId) {
      const view = await io.deployment(step.requestId);
      if (!view)
        throw new RolloutError(
          'STEP_MISSING',
          `the hub lost step ${i + 1}'s request ${step.requestId}`,
        );
      ({ digest } = openStepRequest(rollout, step, view));
      requestId = step.requestId;
      deadline = view.expiresAt;
      online = await io.online(step.hosts);
      io.report({ type: 'step-resumed', rollout, step, requestId });
    } else {
      const waitMs = i > 0 ? rollout.options.waitMs : 0;
      if (waitMs > 0) io.report({ type: 'waiting', rollout, ms: waitMs });
      const g = await gate(rollout, io, waitMs);
      if (!g.go) {
        const view = io.latest(rollout.id) ?? rollout;
        const why = g.reason ? { reason: g.reason } : {};
        io.report({ type: 'stopped', rollout: view, status: g.status, ...why });
        return { rollout: view, status: g.status, ...why, results };
      }
      const request = stepRequest(rollout, step, io);
      const envelope = await io.sign(request);
      const opened = openEnvelope(envelope, PAYLOAD_TYPES.deploy);
      if (!opened.ok) throw new RolloutError('STEP_MISMATCH', 'signing produced no valid envelope');
      digest = sha256Hex(opened.value.payloadBytes);
      online = await io.online(step.hosts);
      try {
        await io.submit(envelope);
      } catch (error) {
        // someone ended the rollout between our check and the release: that is a stop, not a crash
        const latest = io.latest(rollout.id);
        if (!latest || !FINAL_ROLLOUT_STATUSES.includes(latest.status)) throw error;
        const why = latest.reason ? { reason: latest.reason } : {};
        io.report({ type: 'stopped', rollout: latest, status: latest.status, ...why });
        return { rollout: latest, status: latest.status, ...why, results };
      }
      requestId = request.id;
      deadline = request.expiresAt;
      io.report({ type: 'step-released', rollout, step, requestId });
    }
    const progress = await io.awaitStep(requestId, step.hosts, deadline);
    const expectation = {
      step: step.index,
      requestId,
      requestDigest: digest,
      agentKeys: io.agentKeys,
      verifier: io.verifier,
      online,
    };
    const stepResults = step.hosts.map((h) => classifyHost(h, progress.get(h), expectation));
    results.push(...stepResults);
    const failures = failuresOf(results);
    io.report({ type: 'step-done', rollout, step, results: stepResults, failures });
    if (failures > rollout.budget) {
      const reason = `${plural(failures, 'failure')} after step ${i + 1} of ${rollout.steps.length}; the budget is ${rollout.budget}`;
      if (rollout.kind === 'rollback') return end('halted', reason);
      const halted = await end('halted', reason);
      if (rollout.options.onFailure !== 'rollback') return halted;
      const rollback = await rollBack(halted.rollout, results, io);
      return rollback ? { ...halted, rollback } : halted;
    }
  }
  const failures = failuresOf(results);
  return end(
    'succeeded',
    failures > 0
      ? `${plural(failures, 'failure')}, within the budget of ${rollout.budget}`
      : undefined,
  );
}

/**
 * Starts and drives the rollback of a rollout: each affected host goes back to the
 * version its own verified receipt reported before. New signed requests, never replays.
 * Returns undefined when no host needs it.
 */
export async function rollBack(
  original: RolloutView,
  results: readonly HostResult[],
  io: RolloutIO,
): Promise<RolloutOutcome | undefined> {
  const plan = planRollback(results);
  for (const s of plan.skipped)
    io.report({ type: 'rollback-skipped', rollout: original, host: s.host, why: s.why });
  if (plan.steps.length === 0) return undefined;
  const hosts = plan.steps.flatMap((s) => s.hosts);
  const spec: RolloutStart = {
    id: io.newId(),
    app: original.app,
    version: original.version,
    target: { hosts },
    kind: 'rollback',
    rollbackOf: original.id,
    options: {
      batch: { count: hosts.length },
      waitMs: 0,
      maxFailures: { count: hosts.length },
      onFailure: 'halt',
      stepTimeoutMs: original.options.stepTimeoutMs,
    },
    plan: { steps: plan.steps, total: hosts.length, budget: hosts.length },
    lockTtlMs: original.lockTtlMs,
  };
  const started = checkStartedRollout(spec, await io.start(spec));
  const outcome = await driveRollout(started, io);
  const failed = failuresOf(outcome.results);
  const status = failed === 0 ? 'succeeded' : 'halted';
  const reason =
    failed === 0
      ? `rolled back by ${started.id}`
      : `rollback ${started.id}: ${plural(failed, 'host')} did not go back`;
  const rolledBack = await io.control({
    id: original.id,
    status: failed === 0 ? 'rolled-back' : 'halted',
    reason,
  });
  io.report({ type: 'stopped', rollout: rolledBack, status: rolledBack.status, reason });
  return { ...outcome, status: outcome.status === 'succeeded' ? status : outcome.status };
}

/** The results of a rollout's released steps, judged again from the receipts the hub holds. */
export async function judgeReleasedSteps(
  rollout: RolloutView,
  io: Pick<RolloutIO, 'deployment' | 'agentKeys' | 'verifier'>,
): Promise<HostResult[]> {
  const results: HostResult[] = [];
  for (const step of rollout.steps) {
    if (!step.requestId) continue;
    const view = await io.deployment(step.requestId);
    if (!view) throw new RolloutError('STEP_MISSING', `the hub lost request ${step.requestId}`);
    const { digest } = openStepRequest(rollout, step, view);
    const progress = new Map(view.hosts.map((h) => [h.host, h]));
    const expectation = {
      step: step.index,
      requestId: step.requestId,
      requestDigest: digest,
      agentKeys: io.agentKeys,
      verifier: io.verifier,
      // afterwards nobody knows who was online at release; an unanswered host is silent
      online: new Set(step.hosts),
    };
    for (const h of step.hosts) results.push(classifyHost(h, progress.get(h), expectation));
  }
  return results;
}
