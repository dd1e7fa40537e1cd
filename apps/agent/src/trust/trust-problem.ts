import type { AgentProblem, TrustState } from '@serfbort/core';
import { trustHealth } from '@serfbort/core';

/**
 * Expired trust as the agent reports it in presence: it refuses every deploy until an
 * administrator publishes a fresh document (freeze-attack defence), so operators must see it.
 */
export function trustProblem(state: TrustState | null, now: number): AgentProblem | undefined {
  const health = trustHealth(state, now);
  if (health.usable || !state?.keyring) return undefined;
  const doc = health.code === 'ROOT_EXPIRED' ? 'root' : 'keyring';
  const expiredAt = doc === 'root' ? state.root.root.expiresAt : state.keyring.keyring.expiresAt;
  return {
    code: 'TRUST_EXPIRED',
    detail: `trust expired: the ${doc} expired at ${new Date(expiredAt).toISOString()}; every deploy is refused until a fresh one is published`,
    since: expiredAt,
  };
}
