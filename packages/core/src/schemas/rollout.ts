import { z } from 'zod';
import { LIMITS } from '../limits.js';
import { target } from './deploy.js';
import { appName, hostName, requestId, versionText } from './primitives.js';

const hostList = z.array(hostName).min(1).max(LIMITS.targetHosts);
const percent = z.number().min(0).max(100);

export const amount = z.union([
  z.strictObject({ count: z.number().int().min(0).max(LIMITS.targetHosts) }),
  z.strictObject({ percent }),
]);

export const rolloutOptions = z.strictObject({
  canary: z
    .union([
      z.strictObject({ selector: z.string().min(1).max(LIMITS.selectorChars) }),
      z.strictObject({ hosts: hostList }),
    ])
    .optional(),
  batch: amount,
  waitMs: z.number().int().min(0).max(LIMITS.rolloutWaitMs),
  maxFailures: amount,
  onFailure: z.enum(['halt', 'rollback']),
  /** each step's signed request expires this long after it is issued: a late host cannot run it */
  stepTimeoutMs: z.number().int().min(1_000).max(LIMITS.maxRequestLifetimeMs),
});

export const rolloutStepSchema = z.strictObject({
  index: z.number().int().min(0).max(LIMITS.rolloutSteps),
  kind: z.enum(['canary', 'batch', 'rollback']),
  hosts: hostList,
  /** a rollback step deploys each group of hosts back to the version they had */
  version: versionText.optional(),
});

export const rolloutPlanSchema = z.strictObject({
  steps: z.array(rolloutStepSchema).min(1).max(LIMITS.rolloutSteps),
  total: z.number().int().min(1).max(LIMITS.targetHosts),
  budget: z.number().int().min(0).max(LIMITS.targetHosts),
});

/** What a client tells the hub when it starts driving a rollout; the hub keeps it for everyone watching. */
export const rolloutStart = z.strictObject({
  id: requestId,
  app: appName,
  version: versionText,
  target,
  expect: versionText.optional(),
  kind: z.enum(['rollout', 'rollback']),
  /** the rollout this one undoes; it may take over that rollout's lock */
  rollbackOf: requestId.optional(),
  options: rolloutOptions,
  plan: rolloutPlanSchema,
  lockTtlMs: z.number().int().min(5_000).max(LIMITS.rolloutLockTtlMs),
});
export type RolloutStart = z.infer<typeof rolloutStart>;

export const ROLLOUT_STATUSES = [
  'running',
  'paused',
  'succeeded',
  'halted',
  'aborted',
  'rolled-back',
  'expired',
] as const;
export type RolloutStatus = (typeof ROLLOUT_STATUSES)[number];
export const FINAL_ROLLOUT_STATUSES: readonly RolloutStatus[] = [
  'succeeded',
  'halted',
  'aborted',
  'rolled-back',
  'expired',
];

/** Status changes a client may ask for; the hub sets `expired` itself. */
export const rolloutControl = z.strictObject({
  id: requestId,
  status: z.enum(['running', 'paused', 'succeeded', 'halted', 'aborted', 'rolled-back']).optional(),
  reason: z.string().max(512).optional(),
});
export type RolloutControl = z.infer<typeof rolloutControl>;
