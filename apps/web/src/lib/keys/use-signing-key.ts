'use client';
import type { KeyPair } from '@serfbort/core';
import { useAuditHead } from '../roster/audit-head-context';
import { useKey } from './key-context';

export interface SigningRefusal {
  code: 'AUDIT_FORKED' | 'AUDIT_WITHHELD';
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
  const refusal: SigningRefusal | null =
    audit.state === 'forked' || audit.state === 'withheld'
      ? {
          code: audit.state === 'forked' ? 'AUDIT_FORKED' : 'AUDIT_WITHHELD',
          message: `${audit.detail}. Nothing is signed for this hub until you accept its history on purpose (History, Forget head)`,
        }
      : null;
  return { keyPair, refusal };
}
