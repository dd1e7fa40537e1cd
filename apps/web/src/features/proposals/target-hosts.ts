import {
  fromBase64,
  type HostIdentity,
  type HostView,
  type ProposalView,
  type Target,
  type TrustState,
  targetMatches,
  target as targetSchema,
  utf8Decode,
} from '@serfbort/core';
import type { TrustView } from '@/lib/trust/verify-trust';

/**
 * The hosts of the fleet (as the hub reports it now) that a target names or matches:
 * whose labels decide whether a scoped operator's signature counts (agents decide again).
 */
export function hostsOf(target: Target, hosts: readonly HostView[]): HostIdentity[] {
  return hosts
    .filter((h) => targetMatches(target, h))
    .map((h) => ({ name: h.name, labels: h.labels }));
}

/** The trust this browser verified from its pinned root, in the shape core's checks take. */
export function trustStateOf(view: TrustView | null): TrustState | null {
  return view?.root ? { root: view.root, keyring: view.keyring } : null;
}

/**
 * The target a proposal's payload names, read before verification only to pick the hosts
 * to judge its signers against: verifyProposal then checks these very bytes, so a forged
 * target fails there.
 */
export function claimedTarget(view: ProposalView): Target | null {
  try {
    const payload = JSON.parse(utf8Decode(fromBase64(view.envelope.payload))) as {
      target?: unknown;
    };
    const parsed = targetSchema.safeParse(payload?.target);
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** claimedTarget's hosts in the fleet, or none (then a selector must be provably in scope). */
export function claimedHosts(
  view: ProposalView,
  fleet: readonly HostView[],
): HostIdentity[] | undefined {
  const target = claimedTarget(view);
  return target ? hostsOf(target, fleet) : undefined;
}
