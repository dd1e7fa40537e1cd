import type { HostView, Labels } from '@serfbort/core';

/** Labels as people type them in selectors: `role=web,canary`. */
export const labelsText = (labels: Labels): string =>
  Object.entries(labels)
    .map(([k, v]) => (v === '' ? k : `${k}=${v}`))
    .join(',');

/**
 * What a host's labels are worth: signed by an operator, changed since (the hub routes
 * by the approved ones until someone approves again), or never signed.
 */
export function labelNote(h: Pick<HostView, 'labelState' | 'announcedLabels'>): string {
  if (h.labelState === 'changed')
    return `labels changed — needs approval (announces ${labelsText(h.announcedLabels ?? {}) || 'none'})`;
  if (h.labelState === 'not-approved') return 'labels not approved';
  return '';
}
