import { FINAL_HOST_STATES, type HostState } from '@serfbort/core';
import { ShieldCheckIcon, ShieldXIcon } from 'lucide-react';
import type { ReceiptVerdict } from './verify-deployment';

/** What this browser concluded about a host's receipt, loud when it does not verify. */
export function VerdictMark({ verdict, state }: { verdict: ReceiptVerdict; state: HostState }) {
  if (verdict.kind === 'verified') return <VerifiedMark />;
  if (verdict.kind === 'unverified')
    return <UnverifiedMark why={verdict.why} label="✗ UNVERIFIED" />;
  if (FINAL_HOST_STATES.includes(state) && state !== 'expired')
    return (
      <UnverifiedMark
        why="the hub reports an outcome without a signed receipt"
        label="✗ UNVERIFIED (no receipt)"
      />
    );
  return (
    <span className="text-xs text-muted-foreground">
      {state === 'expired' ? 'hub-reported' : 'awaiting receipt'}
    </span>
  );
}

/** A receipt this browser verified against the host's operator-approved key. */
export function VerifiedMark() {
  return (
    <span
      className="inline-flex items-center gap-1 text-xs font-medium text-ok"
      title="Receipt signed by this host's operator-approved key"
      data-testid="receipt-verified"
    >
      <ShieldCheckIcon className="size-3.5" />✓ verified
    </span>
  );
}

/** An outcome no verified receipt backs: loud, with the reason on hover. */
export function UnverifiedMark({ why, label }: { why: string; label: string }) {
  return (
    <span
      className="inline-flex items-center gap-1 rounded bg-bad px-1.5 py-0.5 text-xs font-bold text-white"
      title={why}
      data-testid="receipt-unverified"
    >
      <ShieldXIcon className="size-3.5" />
      {label}
    </span>
  );
}
