import type { TrustHealthCode } from '../codes.js';
import type { VerifiedKeyring } from './keyring.js';
import type { VerifiedRoot } from './root.js';

/** What an agent (or the hub) holds after verifying its documents. */
export interface TrustState {
  root: VerifiedRoot;
  keyring: VerifiedKeyring | null;
}

export type TrustHealth =
  | { usable: true; expiresAt: number }
  | { usable: false; code: TrustHealthCode };

/** Expired trust means no deploys (freeze-attack defence). */
export function trustHealth(state: TrustState | null, now: number): TrustHealth {
  if (!state?.keyring) return { usable: false, code: 'NO_KEYRING' };
  if (state.root.root.expiresAt <= now) return { usable: false, code: 'ROOT_EXPIRED' };
  if (state.keyring.keyring.expiresAt <= now) return { usable: false, code: 'KEYRING_EXPIRED' };
  return {
    usable: true,
    expiresAt: Math.min(state.root.root.expiresAt, state.keyring.keyring.expiresAt),
  };
}
