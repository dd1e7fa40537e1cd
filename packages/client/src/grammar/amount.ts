import { LIMITS } from '@serfbort/core';
import type { Checked } from '../codes.js';
import { refuse } from '../codes.js';
import type { Amount } from '../rollout/plan.js';

/** At most two decimals: the planner counts percent in hundredths, in integers. */
const PERCENT = /^(\d{1,3}(?:\.\d{1,2})?)%$/;
const COUNT = /^\d{1,9}$/;

/**
 * The one grammar for batch sizes and failure budgets, in the CLI and the dashboard:
 * `3` hosts, or `25%` of the target. `min` is the fewest hosts that make sense (1 for a
 * batch, 0 for tolerated failures); with `min` above zero a percentage must be above zero too.
 */
export function parseAmount(text: string, min: number): Checked<Amount> {
  const t = text.trim();
  const pct = PERCENT.exec(t);
  if (pct) {
    const percent = Number(pct[1]);
    if (percent > 100) return refuse('BAD_AMOUNT', `at most 100%, found '${text}'`);
    if (min > 0 && percent <= 0) return refuse('BAD_AMOUNT', `more than 0%, found '${text}'`);
    return { ok: true, value: { percent } };
  }
  if (COUNT.test(t)) {
    const count = Number(t);
    if (count < min) return refuse('BAD_AMOUNT', `at least ${min}, found '${text}'`);
    if (count > LIMITS.targetHosts)
      return refuse('BAD_AMOUNT', `at most ${LIMITS.targetHosts} hosts, found '${text}'`);
    return { ok: true, value: { count } };
  }
  return refuse(
    'BAD_AMOUNT',
    `expected a number of hosts (at least ${min}) or a percentage like 25%, found '${text}'`,
  );
}
