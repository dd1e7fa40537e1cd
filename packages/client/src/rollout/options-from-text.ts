import type { RolloutStart } from '@serfbort/core';
import { LIMITS } from '@serfbort/core';
import type { Checked, Refusal } from '../codes.js';
import { refuse } from '../codes.js';
import { parseAmount } from '../grammar/amount.js';
import { parseDuration } from '../grammar/duration.js';
import { checkTarget } from '../precheck/fields.js';

type RolloutOptions = RolloutStart['options'];

/** A rollout's options as an operator types them, in either face ("25%", "30s"). */
export interface RolloutOptionText {
  canary?: { selector: string } | { hosts: readonly string[] };
  batch: string;
  wait: string;
  maxFailures: string;
  onFailure: string;
  stepTimeout: string;
}

export type RolloutOptionField = keyof RolloutOptionText;
export interface OptionRefusal extends Refusal {
  field: RolloutOptionField;
}

export type RolloutOptionsVerdict =
  | { ok: true; options: RolloutOptions }
  | { ok: false; refusals: OptionRefusal[] };

/** Canaries by selector (printed canonically) or by name (each once, sorted). */
function checkCanary(
  canary: NonNullable<RolloutOptionText['canary']>,
): Checked<RolloutOptions['canary']> {
  const checked = checkTarget('selector' in canary ? canary : { hosts: [...canary.hosts].sort() });
  if (!checked.ok) return refuse(checked.code, `canary: ${checked.detail}`);
  return { ok: true, value: checked.value };
}

function checkOnFailure(text: string): Checked<RolloutOptions['onFailure']> {
  return text === 'halt' || text === 'rollback'
    ? { ok: true, value: text }
    : refuse('BAD_OPTION', `on failure: halt or rollback, found '${text}'`);
}

/**
 * The one reading of a rollout's options for the CLI's flags and the dashboard's form,
 * every bound the hub's schema holds checked before anything is planned or signed.
 */
export function rolloutOptionsFrom(text: RolloutOptionText): RolloutOptionsVerdict {
  const refusals: OptionRefusal[] = [];
  const take = <T>(field: RolloutOptionField, c: Checked<T>): T | undefined => {
    if (c.ok) return c.value;
    refusals.push({ field, code: c.code, detail: c.detail });
    return undefined;
  };
  const canary = text.canary ? take('canary', checkCanary(text.canary)) : undefined;
  const batch = take('batch', parseAmount(text.batch, 1));
  const waitMs = take('wait', parseDuration(text.wait, { minMs: 0, maxMs: LIMITS.rolloutWaitMs }));
  const maxFailures = take('maxFailures', parseAmount(text.maxFailures, 0));
  const onFailure = take('onFailure', checkOnFailure(text.onFailure));
  const stepTimeoutMs = take(
    'stepTimeout',
    parseDuration(text.stepTimeout, { minMs: 1_000, maxMs: LIMITS.maxRequestLifetimeMs }),
  );
  if (
    batch === undefined ||
    waitMs === undefined ||
    maxFailures === undefined ||
    onFailure === undefined ||
    stepTimeoutMs === undefined ||
    refusals.length > 0
  )
    return { ok: false, refusals };
  return {
    ok: true,
    options: {
      ...(canary ? { canary } : {}),
      batch,
      waitMs,
      maxFailures,
      onFailure,
      stepTimeoutMs,
    },
  };
}
