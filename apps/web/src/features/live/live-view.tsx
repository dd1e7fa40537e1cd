'use client';
import { ShieldXIcon } from 'lucide-react';
import { useMemo } from 'react';
import { Alert } from '@/components/ui/alert';
import { Card } from '@/components/ui/card';
import { useFleet } from '@/features/fleet/fleet-context';
import { useHub } from '@/lib/hub/hub-context';
import { useAgentKeys } from '@/lib/trust/agent-keys';
import { DeploymentSummary } from './deployment-summary';
import { HostRow } from './host-row';
import { LiveProgress } from './live-progress';
import { sortByState } from './live-states';
import { useDeployment } from './use-deployment';
import { useOpenRows } from './use-open-rows';
import { useReceiptVerdicts } from './use-receipt-verdicts';
import { verifyRequestEnvelope } from './verify-deployment';

/** One deployment as it happens, every host's outcome believed only from its signed receipt. */
export function LiveView({ requestId }: { requestId: string }) {
  const { trust } = useHub();
  const fleet = useFleet();
  const { lookup, refresh } = useAgentKeys();
  const { view, hosts, output, error } = useDeployment(requestId);
  const rows = useOpenRows();
  const request = useMemo(
    () => (view ? verifyRequestEnvelope(view, trust?.keyring ?? null) : null),
    [view, trust],
  );
  const digest = request?.ok ? request.digest : null;
  const verdicts = useReceiptVerdicts(hosts, requestId, digest, lookup, refresh);
  const sorted = useMemo(() => sortByState(hosts), [hosts]);

  if (error)
    return (
      <Alert tone="bad" title={`Cannot show this deployment (${error.code})`}>
        {error.message}
      </Alert>
    );
  if (!view) return <p className="text-sm text-muted-foreground">Loading deployment…</p>;

  return (
    <div className="grid gap-4">
      {request && !request.ok ? (
        <Alert
          tone="bad"
          icon={<ShieldXIcon />}
          title="✗ The request does not verify against the keyring"
          data-testid="request-unverified"
        >
          {request.why}. Hosts will refuse it; nothing below should be believed.
        </Alert>
      ) : null}
      <Card className="grid gap-4 p-4">
        <DeploymentSummary view={view} signedReq={request?.ok ? request.request : null} />
        <LiveProgress hosts={hosts} verdicts={verdicts} />
      </Card>
      <Card className="overflow-hidden">
        <div className="grid grid-cols-[1.25rem_minmax(9rem,1fr)_7.5rem_minmax(10rem,2fr)_9rem] gap-3 border-b bg-muted/50 px-4 py-2 text-xs font-medium text-muted-foreground">
          <span />
          <span>Host</span>
          <span>State</span>
          <span>Reason · exit · version</span>
          <span className="text-right">Receipt</span>
        </div>
        <ul className="divide-y" data-testid="live-hosts">
          {sorted.map((h) => (
            <HostRow
              key={h.host}
              host={h}
              verdict={verdicts.get(h.host) ?? { kind: 'none' }}
              lines={output.get(h.host) ?? []}
              offline={fleet.byName.get(h.host)?.state !== 'online'}
              open={rows.isOpen(h)}
              onToggle={() => rows.toggle(h)}
            />
          ))}
        </ul>
      </Card>
    </div>
  );
}
