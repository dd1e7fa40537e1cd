import type { Checked } from '@serfbort/client';
import { checkApp as appCheck, checkTarget, checkVersionText } from '@serfbort/client';
import type { Target } from '@serfbort/core';
import { splitList } from '../config/split-list.js';
import { usageError } from '../errors.js';

export interface TargetFlags {
  selector?: string;
  hosts?: string;
}

/** client's pre-checks, refused as usage errors (exit 2: nothing was signed or sent). */
const orUsageError = <T>(checked: Checked<T>): T => {
  if (!checked.ok) throw usageError(checked.code, checked.detail);
  return checked.value;
};

/**
 * The one target syntax: `-l/--selector 'role=web,!canary'` (Kubernetes label selector) or
 * `--hosts weba,webb` (exact names). Exactly one of them; a selector never guesses names.
 */
export function targetFrom(flags: TargetFlags, required: boolean): Target | undefined {
  if (flags.selector !== undefined && flags.hosts !== undefined) {
    throw usageError('TARGET_AMBIGUOUS', 'give either -l/--selector or --hosts, not both');
  }
  if (flags.selector !== undefined) return orUsageError(checkTarget({ selector: flags.selector }));
  if (flags.hosts !== undefined) {
    const hosts = splitList(flags.hosts);
    if (hosts.length === 0) throw usageError('BAD_HOSTS', '--hosts needs at least one host name');
    return orUsageError(checkTarget({ hosts }));
  }
  if (required)
    throw usageError(
      'TARGET_REQUIRED',
      "say which hosts: -l 'role=web' (label selector) or --hosts weba,webb (names)",
    );
  return undefined;
}

export const describeTarget = (t: Target | undefined): string =>
  t === undefined
    ? 'all hosts'
    : 'hosts' in t
      ? `hosts ${t.hosts.join(', ')}`
      : `selector '${t.selector}'`;

export const checkApp = (app: string): string => orUsageError(appCheck(app));

export const checkVersionArg = (version: string, what = 'version'): string =>
  orUsageError(checkVersionText(version, what));
