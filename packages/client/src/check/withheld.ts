import type { Target } from '@serfbort/core';
import { matchesSelector, parseSelector } from '@serfbort/core';
import type { KnownHost } from './judge-check.js';

/**
 * Hosts the client knows the target names that the hub neither answered for nor named
 * unreachable. Named hosts count when the client holds their approved key; a selector
 * counts only hosts whose labels the client knows. Without a target the client cannot
 * tell which hosts have the app, so it names none.
 */
export function withheldHosts(
  target: Target | undefined,
  known: readonly KnownHost[],
  reported: ReadonlySet<string>,
): string[] {
  if (!target) return [];
  const names = new Set(known.map((h) => h.name));
  if ('hosts' in target) return target.hosts.filter((h) => names.has(h) && !reported.has(h)).sort();
  const parsed = parseSelector(target.selector);
  if (!parsed.ok) return [];
  return known
    .filter((h) => h.labels !== undefined && matchesSelector(parsed.selector, h.labels))
    .map((h) => h.name)
    .filter((h) => !reported.has(h))
    .sort();
}
