'use client';
import { trustedIdentities } from '@serfbort/client';
import type { HostIdentity } from '@serfbort/core';
import { useMemo } from 'react';
import { useRoster } from '@/lib/roster/roster-context';

/**
 * The hosts whose labels a scoped co-signer is judged against: this browser's roster (the
 * labels operators signed), as the CLI does, never the labels the hub reports. Without a
 * roster, none: a selector target must then lie provably inside the signer's scope.
 */
export function useTrustedHosts(): readonly HostIdentity[] | undefined {
  const { roster } = useRoster();
  return useMemo(
    () => (roster.state === 'ready' ? trustedIdentities(roster.memory) : undefined),
    [roster],
  );
}
