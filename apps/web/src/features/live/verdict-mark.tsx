import { FINAL_HOST_STATES, type HostState } from '@serfbort/core';
import { ShieldCheckIcon, ShieldXIcon } from 'lucide-react';
import type { ReceiptVerdict } from './verify-deployment';

/** What this browser concluded about a host's receipt, loud when it does not verify. */
export function VerdictMark({ verdict, state }: { verdict: ReceiptVerdict; state: HostState }) {
  if (verdict.kind === 'verified')
    return (
      <span
        className="inline-flex items-center gap-1 text-xs font-medium text-ok"
        title="Receipt signed by this host's operator-approved key"
        data-testid="receipt-verified"
      >
        <ShieldCheckIcon className="size-3.5" />✓ verified
      </span>
    );
  if (verdict.kind === 'unverified')
    return (
      <span
        className="inline-flex items-center gap-1 rounded bg-bad px-1.5 py-0.5 text-xs font-bold text-white"
        title={verdict.why}
        data-testid="receipt-unverified"
      >
        <ShieldXIcon className="size-3.5" />✗ UNVERIFIED
      </span>
    );
  if (FINAL_HOST_STATES.includes(state) && state !== 'expired')
    return (
      <span
        className="inline-flex items-center gap-1 rounded bg-bad px-1.5 py-0.5 text-xs font-bold text-white"
        title="the hub reports an outcome without a signed receipt"
        data-testid="receipt-unverified"
      >
        <ShieldXIcon className="size-3.5" />✗ UNVERIFIED (no receipt)
      </span>
    );
  return (
    <span className="text-xs text-muted-foreground">
      {state === 'expired' ? 'hub-reported' : 'awaiting receipt'}
    </span>
  );
}
