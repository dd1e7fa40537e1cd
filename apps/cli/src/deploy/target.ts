import type { Target } from '@serfbort/core';
import {
  appName,
  checkVersion,
  hostName,
  LIMITS,
  parseSelector,
  printSelector,
} from '@serfbort/core';
import { splitList } from '../config/split-list.js';
import { usageError } from '../errors.js';

export interface TargetFlags {
  selector?: string;
  hosts?: string;
}

/**
 * The one target syntax: `-l/--selector 'role=web,!canary'` (Kubernetes label selector) or
 * `--hosts weba,webb` (exact names). Exactly one of them; a selector never guesses names.
 */
export function targetFrom(flags: TargetFlags, required: boolean): Target | undefined {
  if (flags.selector !== undefined && flags.hosts !== undefined) {
    throw usageError('TARGET_AMBIGUOUS', 'give either -l/--selector or --hosts, not both');
  }
  if (flags.selector !== undefined) {
    const parsed = parseSelector(flags.selector);
    if (!parsed.ok)
      throw usageError('BAD_SELECTOR', `selector '${flags.selector}': ${parsed.error.message}`);
    // canonical text: what is signed is what the hub, the agents and people all read the same way
    return { selector: printSelector(parsed.selector) };
  }
  if (flags.hosts !== undefined) {
    const hosts = [...new Set(splitList(flags.hosts))];
    if (hosts.length === 0) throw usageError('BAD_HOSTS', '--hosts needs at least one host name');
    if (hosts.length > LIMITS.targetHosts)
      throw usageError('BAD_HOSTS', `at most ${LIMITS.targetHosts} hosts`);
    for (const h of hosts) {
      if (!hostName.safeParse(h).success)
        throw usageError(
          'BAD_HOSTS',
          `'${h}' is not a host name (lowercase letters, digits, dots and dashes)`,
        );
    }
    return { hosts };
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

export function checkApp(app: string): string {
  if (!appName.safeParse(app).success)
    throw usageError('BAD_APP', `app '${app}': starts with a letter, then a-z, 0-9, _ and -`);
  return app;
}

export function checkVersionArg(version: string, what = 'version'): string {
  const verdict = checkVersion(version);
  if (!verdict.ok) throw usageError('BAD_VERSION', `${what} '${version}': ${verdict.reason}`);
  return version;
}
