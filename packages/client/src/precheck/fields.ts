import type { Target } from '@serfbort/core';
import {
  appName,
  checkVersion,
  hostName,
  LIMITS,
  parseSelector,
  printSelector,
} from '@serfbort/core';
import type { Checked } from '../codes.js';
import { refuse } from '../codes.js';

export function checkApp(app: string): Checked<string> {
  return appName.safeParse(app).success
    ? { ok: true, value: app }
    : refuse('BAD_APP', `app '${app}': starts with a letter, then a-z, 0-9, _ and -`);
}

/** Rule 9 before signing: a version (or expected result) that an agent would refuse is refused here. */
export function checkVersionText(version: string, what = 'version'): Checked<string> {
  const verdict = checkVersion(version);
  return verdict.ok
    ? { ok: true, value: version }
    : refuse('BAD_VERSION', `${what} '${version}': ${verdict.reason}`);
}

/**
 * A target as typed: a label selector, printed back canonically so what is signed reads
 * the same in every face, or host names, each once.
 */
export function checkTarget(target: Target): Checked<Target> {
  if ('selector' in target) {
    const parsed = parseSelector(target.selector);
    if (!parsed.ok)
      return refuse('BAD_SELECTOR', `selector '${target.selector}': ${parsed.error.message}`);
    return { ok: true, value: { selector: printSelector(parsed.selector) } };
  }
  const hosts = [...new Set(target.hosts)];
  if (hosts.length === 0) return refuse('BAD_HOSTS', 'name at least one host');
  if (hosts.length > LIMITS.targetHosts)
    return refuse('BAD_HOSTS', `at most ${LIMITS.targetHosts} hosts, found ${hosts.length}`);
  const bad = hosts.find((h) => !hostName.safeParse(h).success);
  if (bad !== undefined)
    return refuse(
      'BAD_HOSTS',
      `'${bad}' is not a host name (lowercase letters, digits, dots and dashes)`,
    );
  return { ok: true, value: { hosts } };
}
