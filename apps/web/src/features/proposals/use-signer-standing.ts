'use client';
import { mayCoSign } from '@serfbort/client';
import { useMemo } from 'react';
import type { SoundProposal } from './judge-proposal';

/**
 * Whether this browser's key could add a signature that counts (client's mayCoSign: not
 * signed yet, allowed this app and these hosts by the verified keyring), so the button
 * never offers a signature every host would ignore; otherwise the sentence that says why.
 */
export function useSignerStanding(proposal: SoundProposal, keyId: string | null) {
  return useMemo(() => {
    if (!keyId)
      return { canSign: false, note: 'Add an authorized key in Keys & trust to co-sign.' };
    const v = proposal.verified;
    const may = mayCoSign(v, keyId);
    if (may.ok) return { canSign: true, note: null };
    if (may.code === 'ALREADY_SIGNED')
      return {
        canSign: false,
        note: `Your signature is on it. Waiting for ${v.missing} more from other operators allowed ${v.request.app}.`,
      };
    return { canSign: false, note: may.detail };
  }, [proposal, keyId]);
}
