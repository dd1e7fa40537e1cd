'use client';
import { WifiOffIcon } from 'lucide-react';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { HostList } from './host-list';
import type { CheckSummary } from './verify-check';

/** The hosts that are not simply on a version: mismatched, unreachable, or answering otherwise. */
export function CheckExceptions({
  expected,
  summary,
}: {
  expected: string | null;
  summary: CheckSummary;
}) {
  return (
    <div className="grid content-start gap-4">
      {summary.mismatched.length > 0 ? (
        <Card>
          <CardHeader
            title={`Mismatched (${summary.mismatched.length})`}
            description={`not on ${expected}`}
          />
          <ul className="divide-y text-sm" data-testid="check-mismatched">
            {summary.mismatched.map((m) => (
              <li key={m.host} className="flex justify-between px-4 py-1.5">
                <span>{m.host}</span>
                <code className="font-mono text-xs">{m.version ?? '—'}</code>
              </li>
            ))}
          </ul>
        </Card>
      ) : null}
      <Card>
        <CardHeader
          icon={<WifiOffIcon />}
          title={`Unreachable (${summary.unreachable.length})`}
          description="offline, or no answer in time"
        />
        <CardBody data-testid="check-unreachable">
          {summary.unreachable.length === 0 ? (
            <p className="text-sm text-muted-foreground">Every targeted host answered.</p>
          ) : (
            <HostList hosts={summary.unreachable} />
          )}
        </CardBody>
      </Card>
      {summary.notConfigured.length > 0 || summary.errors.length > 0 ? (
        <OtherAnswers summary={summary} />
      ) : null}
    </div>
  );
}

function OtherAnswers({ summary }: { summary: CheckSummary }) {
  return (
    <Card>
      <CardHeader title="Other answers" />
      <CardBody className="grid gap-2 text-sm">
        {summary.notConfigured.length > 0 ? (
          <p>App not configured on: {summary.notConfigured.join(', ')}</p>
        ) : null}
        {summary.errors.map((e) => (
          <p key={e.host} className="text-bad">
            {e.host}: {e.error}
          </p>
        ))}
      </CardBody>
    </Card>
  );
}
