import { trustedIdentities } from '@serfbort/client';
import type { HostIdentity, TrustState } from '@serfbort/core';
import { useMemo } from 'react';
import { useRoster } from '@/lib/roster/roster-context';
import type { TrustView } from '@/lib/trust/verify-trust';

/** The trust this browser verified from its pinned root, in the shape core's checks take. */
export function trustStateOf(view: TrustView | null): TrustState | null {
  return view?.root ? { root: view.root, keyring: view.keyring } : null;
}

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
