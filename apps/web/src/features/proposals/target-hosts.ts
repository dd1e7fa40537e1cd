import type { TrustState } from '@serfbort/core';
import type { TrustView } from '@/lib/trust/verify-trust';

/** The trust this browser verified from its pinned root, in the shape core's checks take. */
export function trustStateOf(view: TrustView | null): TrustState | null {
  return view?.root ? { root: view.root, keyring: view.keyring } : null;
}
