'use client';
import { rosterGaps } from '@serfbort/client';
import type { Target } from '@serfbort/core';
import { EyeOffIcon } from 'lucide-react';
import { Alert } from '@/components/ui/alert';
import { useRoster } from '@/lib/roster/roster-context';
import { ConfirmButton } from './confirm-dialog';

/**
 * Hosts operators vouched for (as this browser verified and remembers) that the hub left
 * out of an answer about `target`, or whose approval it no longer presents. `reported`
 * is what the hub answered for; no target means the whole fleet.
 */
export function RosterWarning({
  target,
  reported,
  what,
}: {
  target: Target | undefined;
  reported: { has(host: string): boolean };
  /** what the hub answered, for the title: "the fleet", "this target", "this check" */
  what: string;
}) {
  const { roster, forgetHost } = useRoster();
  if (roster.state === 'damaged')
    return (
      <Alert
        tone="bad"
        title="This browser's roster of the hub is damaged"
        data-testid="roster-damaged"
      >
        Hosts the hub leaves out cannot be named ({roster.detail}).
      </Alert>
    );
  if (roster.state !== 'ready') return null;
  const gaps = rosterGaps(roster.memory, target, reported);
  if (gaps.withheld.length + gaps.disappeared.length === 0) return null;
  const row = (host: string, why: string) => (
    <li key={host} className="flex items-center gap-2" data-testid="roster-gap" data-host={host}>
      <span className="font-mono font-medium text-foreground">{host}</span>
      <span>{why}</span>
      <span className="ml-auto">
        <ConfirmButton
          label="Forget host"
          title={`Forget ${host}?`}
          confirm="Forget host"
          testId="forget-host"
          onConfirm={() => forgetHost(host)}
        >
          This browser stops expecting {host} on hub {roster.hubId}. Do this only for a host that
          was decommissioned: if the hub still presents an operator&apos;s approval for it, it is
          remembered again at the next login.
        </ConfirmButton>
      </span>
    </li>
  );
  return (
    <Alert
      tone="bad"
      icon={<EyeOffIcon />}
      title={`The hub left hosts out of ${what}`}
      data-testid="roster-warning"
    >
      <p>
        Operators approved these hosts and this browser verified their approvals; the hub does not
        show them now.
      </p>
      <ul className="mt-1.5 grid gap-1">
        {gaps.withheld.map((h) => row(h, 'withheld by the hub'))}
        {gaps.disappeared.map((h) =>
          row(h, 'approval disappeared (APPROVAL_DISAPPEARED): the hub no longer presents it'),
        )}
      </ul>
    </Alert>
  );
}
