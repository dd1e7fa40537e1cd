'use client';
import { mayCoSign } from '@serfbort/client';
import { operatorsAllowed } from '@serfbort/core';
import { useMemo } from 'react';
import { useFleet } from '@/features/fleet/fleet-context';
import { useHub } from '@/lib/hub/hub-context';
import type { SoundProposal } from './judge-proposal';
import { hostsOf } from './target-hosts';

/**
 * Whether this browser's key could add a signature that counts (client's mayCoSign: not
 * signed yet, allowed this app and these hosts by the verified keyring), so the button
 * never offers a signature every host would ignore; otherwise the sentence that says why.
 */
export function useSignerStanding(proposal: SoundProposal, keyId: string | null) {
  const { trust } = useHub();
  const fleet = useFleet();
  return useMemo(() => {
    if (!keyId)
      return { canSign: false, note: 'Add an authorized key in Keys & trust to co-sign.' };
    const v = proposal.verified;
    const keyring = trust?.keyring?.keyring;
    const allowed = keyring
      ? operatorsAllowed(keyring, {
          app: v.request.app,
          target: v.request.target,
          signers: [keyId],
          now: Date.now(),
          hosts: hostsOf(v.request.target, fleet.hosts),
        }).map((o) => o.keyId)
      : [];
    const may = mayCoSign(v, keyId, allowed);
    if (may.ok) return { canSign: true, note: null };
    if (may.code === 'ALREADY_SIGNED')
      return {
        canSign: false,
        note: `Your signature is on it. Waiting for ${v.missing} more from other operators allowed ${v.request.app}.`,
      };
    return { canSign: false, note: may.detail };
  }, [proposal, keyId, trust, fleet.hosts]);
}
