'use client';
import type { PlanResult } from '@serfbort/client';
import { formatDuration, plural } from '@serfbort/client';
import type { HostView } from '@serfbort/core';
import { Badge } from '@/components/ui/badge';
import { PresenceDot } from '@/components/ui/state-badge';

const HOSTS_SHOWN = 50;

/** The steps planRollout computes against the live fleet, with each step's hosts. */
export function RolloutPreview({
  plan,
  byName,
  waitMs,
  app,
}: {
  plan: PlanResult | null;
  byName: ReadonlyMap<string, HostView>;
  waitMs: number | null;
  app: string;
}) {
  if (!plan)
    return <p className="px-4 py-3 text-xs text-muted-foreground">Fix the rollout fields.</p>;
  if (!plan.ok)
    return (
      <p className="px-4 py-3 text-xs text-bad" data-testid="rollout-plan-error">
        {plan.error}
      </p>
    );
  const { steps, total, budget } = plan.plan;
  return (
    <div className="grid gap-2 py-2">
      <p className="px-4 text-xs text-muted-foreground" data-testid="rollout-plan-summary">
        {plural(steps.length, 'step')} over {plural(total, 'host')}; halts at{' '}
        {plural(budget + 1, 'failure')}
        {waitMs ? `; waits ${formatDuration(waitMs)} between steps` : ''}.
      </p>
      <ol className="divide-y border-y" data-testid="rollout-steps-preview">
        {steps.map((s) => (
          <li
            key={s.index}
            className="grid gap-1.5 px-4 py-2"
            data-testid="rollout-step"
            data-step={s.index}
          >
            <div className="flex items-center gap-2 text-[13px] font-medium">
              Step {s.index + 1}
              <Badge tone={s.kind === 'canary' ? 'warn' : 'outline'}>{s.kind}</Badge>
              <span className="text-xs font-normal text-muted-foreground">
                {plural(s.hosts.length, 'host')}
              </span>
            </div>
            <div className="flex flex-wrap gap-1.5">
              {s.hosts.slice(0, HOSTS_SHOWN).map((name) => {
                const h = byName.get(name);
                return (
                  <span
                    key={name}
                    className="inline-flex items-center gap-1 rounded border px-1.5 text-xs leading-5"
                    data-host={name}
                  >
                    {h ? <PresenceDot state={h.state} /> : null}
                    {name}
                    {app && h?.apps[app]?.version ? (
                      <span className="font-mono text-muted-foreground">
                        {h.apps[app]?.version}
                      </span>
                    ) : null}
                  </span>
                );
              })}
              {s.hosts.length > HOSTS_SHOWN ? (
                <span className="text-xs text-muted-foreground">
                  …and {s.hosts.length - HOSTS_SHOWN} more
                </span>
              ) : null}
            </div>
          </li>
        ))}
      </ol>
    </div>
  );
}
