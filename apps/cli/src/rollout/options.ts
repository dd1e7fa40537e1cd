import type { Amount, RolloutOptionField, RolloutOptionText } from '@serfbort/client';
import { parseAmount as parse, rolloutOptionsFrom } from '@serfbort/client';
import type { RolloutStart } from '@serfbort/core';
import { parseDuration } from '../config/duration.js';
import { splitList } from '../config/split-list.js';
import { usageError } from '../errors.js';

export interface RolloutFlags {
  canary?: string;
  canaryHosts?: string;
  batch?: string;
  /** a duration between steps; `true`/`false` are deploy's own --no-wait */
  wait?: string | boolean;
  maxFailures?: string;
  onFailure?: string;
  stepTimeout?: string;
  lockTtl?: string;
}

/** Any of these makes a deploy a rollout. */
export const isRollout = (f: RolloutFlags): boolean =>
  typeof f.wait === 'string' ||
  [f.canary, f.canaryHosts, f.batch, f.maxFailures, f.onFailure].some((v) => v !== undefined);

/** `3` hosts or `25%` of the target, in client's one grammar; refused as a usage error. */
export function parseAmount(text: string, what: string, min: number): Amount {
  const parsed = parse(text, min);
  if (!parsed.ok) throw usageError(parsed.code, `${what}: ${parsed.detail}`);
  return parsed.value;
}

export const DEFAULT_LOCK_TTL = '5m';

const FLAG: Record<RolloutOptionField, string> = {
  canary: '--canary',
  batch: '--batch',
  wait: '--wait',
  maxFailures: '--max-failures',
  onFailure: '--on-failure',
  stepTimeout: '--step-timeout',
};

/** The operator's choices, checked by client's one reading; the plan itself comes from planRollout. */
export function rolloutOptions(f: RolloutFlags): RolloutStart['options'] {
  if (f.canary !== undefined && f.canaryHosts !== undefined)
    throw usageError('BAD_OPTION', 'give --canary (a selector) or --canary-hosts, not both');
  let canary: RolloutOptionText['canary'];
  if (f.canary !== undefined) canary = { selector: f.canary };
  else if (f.canaryHosts !== undefined) {
    const hosts = splitList(f.canaryHosts);
    if (hosts.length === 0) throw usageError('BAD_HOSTS', '--canary-hosts needs a host name');
    canary = { hosts };
  }
  const verdict = rolloutOptionsFrom({
    ...(canary ? { canary } : {}),
    batch: f.batch ?? '100%',
    // deploy's own --no-wait makes `wait` a boolean: no pause between steps then
    wait: typeof f.wait === 'string' ? f.wait : '0',
    maxFailures: f.maxFailures ?? '0',
    onFailure: f.onFailure ?? 'halt',
    stepTimeout: f.stepTimeout ?? '10m',
  });
  if (!verdict.ok) {
    const first = verdict.refusals[0]!;
    throw usageError(first.code, `${FLAG[first.field]}: ${first.detail}`);
  }
  return verdict.options;
}

export const lockTtlOf = (f: RolloutFlags): number => {
  const ms = parseDuration(f.lockTtl ?? DEFAULT_LOCK_TTL, '--lock-ttl');
  if (ms < 5_000) throw usageError('BAD_DURATION', '--lock-ttl: at least 5s');
  return ms;
};
