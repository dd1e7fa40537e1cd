'use client';
import { plural } from '@serfbort/client';
import type { DeploymentSummary } from '@serfbort/core';
import { RotateCcwIcon, Undo2Icon } from 'lucide-react';
import Link from 'next/link';
import { Button } from '@/components/ui/button';
import { redeployHref } from '@/features/live/redeploy';
import { ago, formatTime } from '@/lib/utils';
import { OutcomeBar } from './outcome-bar';

/** One deployment; `prev` is the version before it, offered as a one-click way back. */
export function HistoryRow({
  d,
  prev,
}: {
  d: DeploymentSummary;
  prev: DeploymentSummary | undefined;
}) {
  return (
    <tr className="hover:bg-accent/40" data-request={d.requestId} data-outcome={d.outcome}>
      <td className="px-4 py-2.5 whitespace-nowrap" title={formatTime(d.submittedAt)}>
        <Link
          className="font-medium text-primary hover:underline"
          href={`/deployments/${encodeURIComponent(d.requestId)}`}
          // a deployment's page is drawn in the browser from the hub: nothing to prefetch
          prefetch={false}
        >
          {ago(d.submittedAt)}
        </Link>
      </td>
      <td className="px-4 py-2.5">
        <span className="font-medium">{d.app}</span>{' '}
        <code className="font-mono text-[13px]">→ {d.version}</code>
        {d.rolloutId ? (
          <Link
            className="ml-1.5 text-xs text-muted-foreground underline"
            href={`/rollouts/${encodeURIComponent(d.rolloutId)}`}
          >
            rollout step
          </Link>
        ) : null}
      </td>
      <td className="max-w-64 truncate px-4 py-2.5 font-mono text-xs">
        {'selector' in d.target
          ? d.target.selector
          : `${plural(d.target.hosts.length, 'host')}: ${d.target.hosts.slice(0, 3).join(', ')}${d.target.hosts.length > 3 ? '…' : ''}`}
      </td>
      <td className="px-4 py-2.5">{d.signerNames.join(', ')}</td>
      <td className="px-4 py-2.5">
        <OutcomeBar counts={d.counts} {...(d.superseded ? { superseded: d.superseded } : {})} />
      </td>
      <td className="px-4 py-2.5">
        <div className="flex justify-end gap-1.5">
          {prev ? (
            <Button
              asChild
              size="xs"
              variant="outline"
              title={`Sign a new request for ${prev.version}, the version deployed before this one`}
            >
              <Link
                href={redeployHref({ app: d.app, version: prev.version, target: d.target })}
                data-testid="rollback"
              >
                <Undo2Icon />
                Back to {prev.version}
              </Link>
            </Button>
          ) : null}
          <Button
            asChild
            size="xs"
            variant="ghost"
            title="Sign a new request with the same app, target and version"
          >
            <Link href={redeployHref(d)}>
              <RotateCcwIcon />
              Again
            </Link>
          </Button>
        </div>
      </td>
    </tr>
  );
}
