'use client';
import type { DeploymentView, DeployRequest } from '@serfbort/core';
import { RotateCcwIcon } from 'lucide-react';
import Link from 'next/link';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { formatTime, until } from '@/lib/utils';
import { redeployHref } from './redeploy';

/** What was deployed where, by whom: from the signed request when it verifies. */
export function DeploymentSummary({
  view,
  signedReq,
}: {
  view: DeploymentView;
  signedReq: DeployRequest | null;
}) {
  const target = signedReq?.target ?? view.target;
  return (
    <div className="flex flex-wrap items-start justify-between gap-4">
      <div className="grid gap-1">
        <p className="text-lg font-semibold">
          {signedReq?.app ?? view.app}{' '}
          <span className="font-mono text-base">→ {signedReq?.version ?? view.version}</span>
        </p>
        <p className="text-[13px] text-muted-foreground">
          {'selector' in target ? (
            <>
              selector <code className="font-mono">{target.selector}</code>
            </>
          ) : (
            `${target.hosts.length} named hosts`
          )}{' '}
          · signed by {view.signerNames.join(', ') || view.signers.join(', ')}{' '}
          {signedReq ? <Badge tone="ok">✓ signature verified</Badge> : null} · submitted{' '}
          {formatTime(view.submittedAt)} · request expires {until(view.expiresAt)}
        </p>
        <p className="font-mono text-[11px] text-muted-foreground">id {view.requestId}</p>
        {view.rolloutId ? (
          <p className="text-[13px]">
            A step of rollout{' '}
            <Link
              className="font-mono underline"
              href={`/rollouts/${encodeURIComponent(view.rolloutId)}`}
              data-testid="deployment-rollout"
            >
              {view.rolloutId}
            </Link>
          </p>
        ) : null}
      </div>
      <Button asChild variant="outline" size="sm">
        <Link href={redeployHref(signedReq ?? view)}>
          <RotateCcwIcon />
          Deploy this again…
        </Link>
      </Button>
    </div>
  );
}
