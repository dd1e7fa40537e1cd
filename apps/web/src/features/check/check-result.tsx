'use client';
import { plural } from '@serfbort/client';
import { CheckCircle2Icon, ShieldXIcon } from 'lucide-react';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Card, CardHeader } from '@/components/ui/card';
import { CheckExceptions } from './check-exceptions';
import { FreshnessAlerts } from './freshness-alerts';
import { HostList } from './host-list';
import type { CheckRun } from './use-check-run';
import type { CheckSummary } from './verify-check';

/** A check's answers: the verdict against the expected version, then who runs what. */
export function CheckResultView({ run, summary }: { run: CheckRun; summary: CheckSummary }) {
  return (
    <div className="grid gap-4" data-testid="check-result">
      {run.expected !== null ? <ExpectedVerdict expected={run.expected} summary={summary} /> : null}
      <FreshnessAlerts summary={summary} />
      {summary.unverified.length > 0 ? (
        <Alert
          tone="bad"
          icon={<ShieldXIcon />}
          title={`✗ ${plural(summary.unverified.length, 'UNVERIFIED answer')} — not counted`}
        >
          {summary.unverified.map((u) => `${u.host}: ${u.why}`).join('; ')}
        </Alert>
      ) : null}
      <div className="grid gap-4 lg:grid-cols-2">
        <VersionGroups run={run} summary={summary} />
        <CheckExceptions expected={run.expected} summary={summary} />
      </div>
    </div>
  );
}

function ExpectedVerdict({ expected, summary }: { expected: string; summary: CheckSummary }) {
  if (summary.allOk)
    return (
      <Alert
        tone="ok"
        icon={<CheckCircle2Icon />}
        title={`OK — every host runs ${expected}`}
        data-testid="check-ok"
      >
        {summary.groups.reduce((n, g) => n + g.hosts.length, 0)} signed answers verified.
      </Alert>
    );
  return (
    <Alert
      tone="bad"
      title={`Not OK — ${summary.mismatched.length} mismatched, ${summary.unreachable.length} unreachable, ${summary.unverified.length} unverified, ${summary.stale.length} stale, ${summary.withheld.length + summary.disappeared.length} withheld`}
      data-testid="check-not-ok"
    />
  );
}

function VersionGroups({ run, summary }: { run: CheckRun; summary: CheckSummary }) {
  const tone = (version: string) =>
    run.expected === null ? 'neutral' : version === run.expected ? 'ok' : 'warn';
  return (
    <Card>
      <CardHeader
        title="Versions"
        description={`${run.res.app}: verified answers grouped by what hosts report`}
      />
      <ul className="divide-y">
        {summary.groups.length === 0 ? (
          <li className="px-4 py-3 text-sm text-muted-foreground">No verified answers.</li>
        ) : null}
        {summary.groups.map((g) => (
          <li key={g.version} className="grid gap-1 px-4 py-3" data-testid="check-group">
            <div className="flex items-center justify-between gap-2">
              <code className="font-mono text-sm font-medium">{g.version || '(no version)'}</code>
              <Badge tone={tone(g.version)}>{plural(g.hosts.length, 'host')}</Badge>
            </div>
            <HostList hosts={g.hosts} />
          </li>
        ))}
      </ul>
    </Card>
  );
}
