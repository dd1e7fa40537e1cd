import type { Amount } from '@serfbort/client';
import { parseAmount as parse } from '@serfbort/client';
import type { RolloutStart } from '@serfbort/core';
import { parseSelector, printSelector } from '@serfbort/core';
import { splitList } from '../commands/context.js';
import { parseDuration } from '../config/duration.js';
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

/** The operator's choices, checked; the plan itself comes from core's planRollout. */
export function rolloutOptions(f: RolloutFlags): RolloutStart['options'] {
  if (f.canary !== undefined && f.canaryHosts !== undefined)
    throw usageError('BAD_OPTION', 'give --canary (a selector) or --canary-hosts, not both');
  let canary: RolloutStart['options']['canary'];
  if (f.canary !== undefined) {
    const parsed = parseSelector(f.canary);
    if (!parsed.ok)
      throw usageError('BAD_SELECTOR', `--canary '${f.canary}': ${parsed.error.message}`);
    canary = { selector: printSelector(parsed.selector) };
  } else if (f.canaryHosts !== undefined) {
    const hosts = [...new Set(splitList(f.canaryHosts))];
    if (hosts.length === 0) throw usageError('BAD_HOSTS', '--canary-hosts needs a host name');
    canary = { hosts };
  }
  const onFailure = f.onFailure ?? 'halt';
  if (onFailure !== 'halt' && onFailure !== 'rollback')
    throw usageError('BAD_OPTION', `--on-failure: halt or rollback, found '${onFailure}'`);
  return {
    ...(canary ? { canary } : {}),
    batch: parseAmount(f.batch ?? '100%', '--batch', 1),
    waitMs: typeof f.wait !== 'string' ? 0 : parseDuration(f.wait, '--wait', { minMs: 0 }),
    maxFailures: parseAmount(f.maxFailures ?? '0', '--max-failures', 0),
    onFailure,
    stepTimeoutMs: parseDuration(f.stepTimeout ?? '10m', '--step-timeout'),
  };
}

export const lockTtlOf = (f: RolloutFlags): number => {
  const ms = parseDuration(f.lockTtl ?? DEFAULT_LOCK_TTL, '--lock-ttl');
  if (ms < 5_000) throw usageError('BAD_DURATION', '--lock-ttl: at least 5s');
  return ms;
};
