import {
  type PlanResult,
  planRollout,
  type RolloutOptionText,
  rolloutOptionsFrom,
  signedBytesOf,
  stepRequest,
} from '@serfbort/client';
import {
  appName,
  type DeployRequest,
  type Labels,
  type RolloutStart,
  type RolloutView,
  type Target,
} from '@serfbort/core';

/** The builder's fields as typed: text, so "25%" and "30s" read the way the CLI spells them. */
export interface RolloutDraft {
  canaryMode: 'none' | 'selector' | 'hosts';
  canarySelector: string;
  canaryHosts: string[];
  batch: string;
  wait: string;
  maxFailures: string;
  onFailure: 'halt' | 'rollback';
  stepTimeout: string;
}

export const DEFAULT_DRAFT: RolloutDraft = {
  canaryMode: 'none',
  canarySelector: '',
  canaryHosts: [],
  batch: '25%',
  wait: '30s',
  maxFailures: '0',
  onFailure: 'rollback',
  stepTimeout: '10m',
};

/** A driver that stops renewing loses the lock this long after; it renews every third of it. */
export const LOCK_TTL_MS = 60_000;

export type OptionErrors = Partial<Record<keyof RolloutDraft, string>>;
export type ParsedOptions =
  | { ok: true; options: RolloutStart['options'] }
  | { ok: false; errors: OptionErrors };

/** The form's fields, read by client's one reading of rollout options (the CLI's flags use it too). */
export function parseRolloutOptions(d: RolloutDraft): ParsedOptions {
  const errors: OptionErrors = {};
  let canary: RolloutOptionText['canary'];
  if (d.canaryMode === 'selector') {
    if (d.canarySelector.trim() === '') errors.canarySelector = 'a selector, e.g. canary';
    else canary = { selector: d.canarySelector };
  } else if (d.canaryMode === 'hosts') {
    if (d.canaryHosts.length === 0) errors.canaryHosts = 'pick at least one host';
    else canary = { hosts: d.canaryHosts };
  }
  const verdict = rolloutOptionsFrom({
    ...(canary ? { canary } : {}),
    batch: d.batch,
    wait: d.wait,
    maxFailures: d.maxFailures,
    onFailure: d.onFailure,
    stepTimeout: d.stepTimeout,
  });
  if (!verdict.ok)
    for (const r of verdict.refusals)
      errors[
        r.field === 'canary'
          ? d.canaryMode === 'hosts'
            ? 'canaryHosts'
            : 'canarySelector'
          : r.field
      ] = r.detail;
  if (!verdict.ok || Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, options: verdict.options };
}

/** The plan against the hosts the target matches right now. */
export function previewPlan(
  hosts: readonly { name: string; labels: Labels }[],
  parsed: ParsedOptions,
): PlanResult | null {
  if (!parsed.ok) return null;
  return planRollout(hosts, parsed.options);
}

export interface RolloutInput {
  id: string;
  app: string;
  version: string;
  target: Target;
  expect?: string;
  options: RolloutStart['options'];
  plan: NonNullable<Extract<PlanResult, { ok: true }>['plan']>;
}

export function rolloutStartOf(input: RolloutInput): RolloutStart {
  return {
    id: input.id,
    app: input.app,
    version: input.version,
    target: input.target,
    ...(input.expect ? { expect: input.expect } : {}),
    kind: 'rollout',
    options: input.options,
    plan: input.plan,
    lockTtlMs: LOCK_TTL_MS,
  };
}

/** The rollout as the hub will record it, before it does: what the first step is built from. */
export function viewOfStart(start: RolloutStart, owner: string, now: number): RolloutView {
  return {
    id: start.id,
    app: start.app,
    version: start.version,
    target: start.target,
    ...(start.expect !== undefined ? { expect: start.expect } : {}),
    kind: start.kind,
    ...(start.rollbackOf ? { rollbackOf: start.rollbackOf } : {}),
    options: start.options,
    budget: start.plan.budget,
    total: start.plan.total,
    lockTtlMs: start.lockTtlMs,
    steps: start.plan.steps.map((s) => ({ ...s, hosts: [...s.hosts] })),
    status: 'running',
    ownerKeyId: owner,
    ownerName: owner,
    createdAt: now,
    updatedAt: now,
  };
}

export interface PreparedRollout {
  start: RolloutStart;
  /** step 1's request exactly as the driver will build and sign it */
  first: DeployRequest;
  bytes: Uint8Array;
  text: string;
  digest: string;
}

/**
 * Freezes the rollout and its first step's request at review time, with core's own
 * stepRequest, so the bytes shown are the bytes the driver signs (it refuses otherwise).
 */
export function prepareRollout(
  start: RolloutStart,
  keyId: string,
  firstRequestId: string,
  now: number,
): PreparedRollout {
  const first = stepRequest(viewOfStart(start, keyId, now), start.plan.steps[0]!, {
    now: () => now,
    newId: () => firstRequestId,
    signerIds: [keyId],
  });
  return { start, first, ...signedBytesOf(first) };
}

export const appOk = (app: string) => appName.safeParse(app).success;
