import type { Target } from '@serfbort/core';

/** The deploy form, filled in with this app, target and version: signing it makes a NEW request. */
export function redeployHref(d: { app: string; version: string; target: Target }): string {
  const q = new URLSearchParams({ app: d.app, version: d.version });
  if ('selector' in d.target) q.set('selector', d.target.selector);
  else q.set('hosts', d.target.hosts.join(','));
  return `/deploy?${q.toString()}`;
}
