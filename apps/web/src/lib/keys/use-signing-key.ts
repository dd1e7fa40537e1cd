'use client';
import type { KeyPair } from '@serfbort/core';
import { useAuditHead } from '../roster/audit-head-context';
import { useKey } from './key-context';

export interface SigningRefusal {
  /** AUDIT_FORKED, AUDIT_WITHHELD, or the hub's own code when it could not serve its history */
  code: string;
  message: string;
}

/**
 * The key every signature made in this browser comes from, and why nothing may be signed
 * for this hub now. As the CLI refuses every session of a hub whose audit history no
 * longer extends the head it verified (or is withheld after it was served), the dashboard signs nothing for it (deploys,
 * proposals, co-signatures, approvals, checks, rollouts, lock releases) until a person
 * accepts that history on purpose; reading stays possible, with the fork on every page.
 */
export function useSigningKey(): { keyPair: KeyPair | null; refusal: SigningRefusal | null } {
  const { keyPair } = useKey();
  const { audit } = useAuditHead();
  const accept =
    'Nothing is signed for this hub until you accept its history on purpose (History, Forget head)';
  const refusal: SigningRefusal | null =
    audit.state === 'forked'
      ? { code: 'AUDIT_FORKED', message: `${audit.detail}. ${accept}` }
      : audit.state === 'withheld'
        ? { code: 'AUDIT_WITHHELD', message: `${audit.detail}. ${accept}` }
        : audit.state === 'failed'
          ? {
              code: audit.code,
              message: `${audit.detail}; signing waits until it can: retry in a moment`,
            }
          : null;
  return { keyPair, refusal };
}
