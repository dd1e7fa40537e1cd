'use client';
import { plural } from '@serfbort/client';
import { ClockFadingIcon, EyeOffIcon, ShieldXIcon } from 'lucide-react';
import { Alert } from '@/components/ui/alert';
import type { CheckSummary } from './verify-check';

/** What the hub may have faked about this check: replayed answers, hosts left out, refusals. */
export function FreshnessAlerts({ summary }: { summary: CheckSummary }) {
  return (
    <>
      {summary.stale.length > 0 ? (
        <Alert
          tone="bad"
          icon={<ClockFadingIcon />}
          title={`✗ ${plural(summary.stale.length, 'STALE answer')} — replayed, not counted`}
          data-testid="check-stale"
        >
          {summary.stale.map((s) => `${s.host}: ${s.why}`).join('; ')}
        </Alert>
      ) : null}
      {summary.withheld.length > 0 ? (
        <Alert
          tone="bad"
          icon={<EyeOffIcon />}
          title={`✗ ${plural(summary.withheld.length, 'host')} withheld by the hub`}
          data-testid="check-withheld"
        >
          Operators approved them and the signed target covers them; the hub neither asked nor
          reported them: {summary.withheld.join(', ')}
        </Alert>
      ) : null}
      {summary.disappeared.length > 0 ? (
        <Alert
          tone="bad"
          icon={<EyeOffIcon />}
          title={`✗ APPROVAL_DISAPPEARED — ${plural(summary.disappeared.length, 'host')}`}
          data-testid="check-approval-disappeared"
        >
          The hub no longer presents the approval this browser saw: {summary.disappeared.join(', ')}
          . If decommissioned, forget them in the fleet view.
        </Alert>
      ) : null}
      {summary.refused.length > 0 ? (
        <Alert
          tone="bad"
          icon={<ShieldXIcon />}
          title={`${plural(summary.refused.length, 'host')} refused the check request`}
          data-testid="check-refused"
        >
          {summary.refused.map((r) => `${r.host}: ${r.code}`).join('; ')}
        </Alert>
      ) : null}
      {summary.unproven.length > 0 ? (
        <Alert
          tone="warn"
          icon={<ClockFadingIcon />}
          title="Freshness not proven for v1 agents"
          data-testid="check-unproven"
        >
          They answer the hub's unsigned query, so nothing proves the answer is of now:{' '}
          {summary.unproven.join(', ')}
        </Alert>
      ) : null}
    </>
  );
}
