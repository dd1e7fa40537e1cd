'use client';
import { plural } from '@serfbort/client';
import type { HostView, Target } from '@serfbort/core';
import { LabelChip } from '@/components/ui/badge';
import { Card, CardHeader } from '@/components/ui/card';
import { PresenceDot } from '@/components/ui/state-badge';
import { RolloutPreview } from '@/features/rollout/rollout-preview';
import type { useRolloutBuilder } from '@/features/rollout/use-rollout-builder';
import { RosterWarning } from '@/features/roster/roster-warning';
import type { Release } from './use-deploy-draft';

const PREVIEW_ROWS = 100;

/** The hosts the target matches now; for a rollout, the steps they fall into. */
export function TargetPreview({
  app,
  target,
  matching,
  unknownNamed,
  staged,
  rollout,
  byName,
}: {
  app: string;
  target: Target | null;
  matching: HostView[];
  unknownNamed: string[];
  staged: Release;
  rollout: ReturnType<typeof useRolloutBuilder>;
  byName: ReadonlyMap<string, HostView>;
}) {
  const offline = matching.filter((h) => h.state !== 'online').length;
  return (
    <Card className="flex min-h-0 flex-col">
      <CardHeader
        title={<span data-testid="preview-count">{plural(matching.length, 'matching host')}</span>}
        description={
          target
            ? `${offline} offline now; they get the request when they reconnect, until it expires.`
            : 'Enter a selector or pick hosts to preview the target.'
        }
      />
      <div className="max-h-[32rem] overflow-auto">
        {staged === 'rollout' && target ? (
          <RolloutPreview plan={rollout.plan} byName={byName} waitMs={rollout.waitMs} app={app} />
        ) : null}
        {target ? (
          <div className="px-4 py-2">
            <RosterWarning
              target={target}
              reported={new Set(matching.map((h) => h.name))}
              what="this target"
            />
          </div>
        ) : null}
        {unknownNamed.length > 0 ? (
          <p className="px-4 py-2 text-xs text-warn">
            Unknown to the hub: {unknownNamed.join(', ')}
          </p>
        ) : null}
        <ul className={staged === 'rollout' ? 'hidden' : 'divide-y'} data-testid="preview-hosts">
          {matching.slice(0, PREVIEW_ROWS).map((h) => (
            <PreviewHost key={h.name} host={h} app={app} />
          ))}
        </ul>
        {staged === 'once' && matching.length > PREVIEW_ROWS ? (
          <p className="px-4 py-2 text-xs text-muted-foreground">
            …and {matching.length - PREVIEW_ROWS} more
          </p>
        ) : null}
      </div>
    </Card>
  );
}

function PreviewHost({ host: h, app }: { host: HostView; app: string }) {
  return (
    <li className="flex items-center gap-2.5 px-4 py-2 text-sm">
      <PresenceDot state={h.state} />
      <span className="font-medium">{h.name}</span>
      <span className="flex flex-wrap gap-1">
        {Object.entries(h.labels).map(([k, v]) => (
          <LabelChip key={k} k={k} v={v} />
        ))}
      </span>
      <span className="ml-auto font-mono text-xs text-muted-foreground">
        {app && h.apps[app] ? (h.apps[app]?.version ?? '—') : ''}
      </span>
    </li>
  );
}
