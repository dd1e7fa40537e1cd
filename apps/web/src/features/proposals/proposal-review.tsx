'use client';
import { Loader2Icon, ShieldXIcon } from 'lucide-react';
import Link from 'next/link';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Card, CardBody } from '@/components/ui/card';
import { SignedRequestView } from '@/features/deploy/signed-request-view';
import { shortId } from '@/lib/utils';
import type { ProposalState } from './judge-proposal';
import { ProposalActions } from './proposal-actions';
import { SignatureList } from './signature-list';
import { useProposal } from './use-proposal';

const STATUS_TONE = {
  open: 'info',
  complete: 'ok',
  confirming: 'neutral',
  submitted: 'ok',
  expired: 'neutral',
  withdrawn: 'neutral',
} as const satisfies Record<ProposalState, string>;

/**
 * One proposal for review: the exact request and bytes, the verdict of every signature,
 * then the actions. A proposal that does not verify shows only why, never a button.
 */
export function ProposalReview({ requestId }: { requestId: string }) {
  const { judged, error, accept } = useProposal(requestId);
  if (error)
    return (
      <Alert tone="warn" title={`${error.code}: ${error.message}`} data-testid="proposal-error" />
    );
  if (!judged)
    return (
      <p className="flex items-center gap-2 text-sm text-muted-foreground">
        <Loader2Icon className="size-4 animate-spin" /> Loading the proposal…
      </p>
    );
  if (!judged.ok && judged.code === 'EXPIRED')
    return (
      <Alert tone="warn" title="This proposal expired" data-testid="proposal-expired">
        {judged.detail}. Nothing can run it any more: propose again from Deploy.
      </Alert>
    );
  if (!judged.ok)
    return (
      <Alert
        tone="bad"
        icon={<ShieldXIcon />}
        title={`This proposal does not verify: ${judged.code}`}
        data-testid="proposal-broken"
      >
        {judged.detail}. What the hub sent is not what an operator signed, so there is nothing here
        to review or co-sign. Tell the hub&apos;s administrators.
      </Alert>
    );
  const p = judged;
  return (
    <Card>
      <CardBody className="grid gap-4">
        <div className="flex flex-wrap items-center gap-2 text-sm">
          <Badge tone={STATUS_TONE[p.status]} data-testid="proposal-status">
            {p.status}
          </Badge>
          <span className="font-mono text-xs text-muted-foreground">{shortId(requestId)}</span>
          {p.status === 'submitted' ? (
            <Link
              className="text-primary underline"
              href={`/deployments/${encodeURIComponent(requestId)}`}
              prefetch={false}
              data-testid="proposal-deployment"
            >
              Watch the deployment
            </Link>
          ) : null}
        </div>
        <SignedRequestView prepared={p.prepared} hostCount={null} />
        <SignatureList proposal={p} />
        <ProposalActions proposal={p} accept={accept} />
      </CardBody>
    </Card>
  );
}
