'use client';
import { matchesSelector, operatorsAllowed, parseSelector, type Target } from '@serfbort/core';
import { useMemo } from 'react';
import { useFleet } from '@/features/fleet/fleet-context';
import { useHub } from '@/lib/hub/hub-context';
import type { SoundProposal } from './judge-proposal';

/** Host identities the target names or matches in the fleet as the hub reports it now. */
function hostsOf(target: Target, hosts: ReturnType<typeof useFleet>['hosts']) {
  if ('hosts' in target) return hosts.filter((h) => target.hosts.includes(h.name));
  const parsed = parseSelector(target.selector);
  return parsed.ok ? hosts.filter((h) => matchesSelector(parsed.selector, h.labels)) : [];
}

/**
 * Whether this browser's key could add a signature that counts: not already among the
 * genuine ones, and allowed this app and these hosts by the verified keyring (the rule
 * hosts apply), so the button never offers a signature every host would ignore.
 */
export function useSignerStanding(proposal: SoundProposal, keyId: string | null) {
  const { trust } = useHub();
  const fleet = useFleet();
  return useMemo(() => {
    if (!keyId)
      return { canSign: false, note: 'Add an authorized key in Keys & trust to co-sign.' };
    if (proposal.genuine.includes(keyId))
      return {
        canSign: false,
        note: `Your signature is on it. Waiting for ${proposal.missing} more from other operators allowed ${proposal.request.app}.`,
      };
    const keyring = trust?.keyring?.keyring;
    const r = proposal.request;
    const allowed =
      keyring !== undefined &&
      operatorsAllowed(keyring, {
        app: r.app,
        target: r.target,
        signers: [keyId],
        now: Date.now(),
        hosts: hostsOf(r.target, fleet.hosts).map((h) => ({ name: h.name, labels: h.labels })),
      }).length > 0;
    if (!allowed)
      return {
        canSign: false,
        note: `The keyring does not allow your key to deploy ${r.app} to this target: hosts would not count your signature.`,
      };
    return { canSign: true, note: null };
  }, [proposal, keyId, trust, fleet.hosts]);
}
