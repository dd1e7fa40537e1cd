'use client';
import type { KeyPair } from '@serfbort/core';
import { useCallback } from 'react';
import { type AuditHeadState, useAuditHead } from '../roster/audit-head-context';
import { useKey } from './key-context';

export interface SigningRefusal {
  /** AUDIT_FORKED, AUDIT_WITHHELD, or the hub's own code when it could not serve its history */
  code: string;
  message: string;
}

const ACCEPT =
  'Nothing is signed for this hub until you accept its history on purpose (History, Forget head)';

/** Why nothing may be signed for the hub, judged from its audit history; null: nothing against it. */
export function signingRefusal(audit: AuditHeadState): SigningRefusal | null {
  switch (audit.state) {
    case 'forked':
      return { code: 'AUDIT_FORKED', message: `${audit.detail}. ${ACCEPT}` };
    case 'withheld':
      return { code: 'AUDIT_WITHHELD', message: `${audit.detail}. ${ACCEPT}` };
    case 'failed':
      return {
        code: audit.code,
        message: `${audit.detail}; signing waits until it can: retry in a moment`,
      };
    default:
      return null;
  }
}

/**
 * The key every signature made in this browser comes from, and why nothing may be signed
 * for this hub now. As the CLI refuses every session of a hub whose audit history no
 * longer extends the head it verified (or is withheld after it was served), the
 * dashboard signs nothing for it (deploys, proposals, co-signatures, approvals, checks,
 * rollouts, lock releases) until a person accepts that history on purpose; reading
 * stays possible, with the fork on every page. A signature waits for the check under way
 * (a login's): a hub that stalls that check gains nothing by it.
 */
export function useSigningKey(): {
  keyPair: KeyPair | null;
  /** waits for the audit-head check under way, then says why not to sign, if so */
  mayNotSign: () => Promise<SigningRefusal | null>;
} {
  const { keyPair } = useKey();
  const { settled } = useAuditHead();
  const mayNotSign = useCallback(async () => signingRefusal(await settled()), [settled]);
  return { keyPair, mayNotSign };
}
