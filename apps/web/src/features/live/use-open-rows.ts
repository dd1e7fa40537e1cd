'use client';
import type { HostProgress } from '@serfbort/core';
import { useState } from 'react';

/**
 * Which host rows show their output. A running host opens by itself until the operator
 * closes it; a closed running host is remembered as `-name` so it stays closed.
 */
export function useOpenRows() {
  const [open, setOpen] = useState<Set<string>>(new Set());
  const isOpen = (set: ReadonlySet<string>, h: HostProgress) =>
    set.has(h.host) || (h.state === 'running' && !set.has(`-${h.host}`));
  return {
    isOpen: (h: HostProgress) => isOpen(open, h),
    toggle: (h: HostProgress) =>
      setOpen((prev) => {
        const next = new Set(prev);
        const wasOpen = isOpen(prev, h);
        next.delete(h.host);
        next.delete(`-${h.host}`);
        next.add(wasOpen ? `-${h.host}` : h.host);
        return next;
      }),
  };
}
