'use client';
import { useMemo } from 'react';
import { Page, RequireOperator } from '@/components/shell/page';
import { CheckForm } from '@/features/check/check-form';
import { CheckResultView } from '@/features/check/check-result';
import { useCheckRun } from '@/features/check/use-check-run';
import { useFleet } from '@/features/fleet/fleet-context';

export default function CheckPage() {
  const fleet = useFleet();
  const check = useCheckRun();
  const apps = useMemo(
    () => [...new Set(fleet.hosts.flatMap((h) => Object.keys(h.apps)))].sort(),
    [fleet.hosts],
  );

  return (
    <Page
      title="Check"
      description="Hosts run their version-report command now and answer with signed results, verified here."
    >
      <RequireOperator what="checks">
        <CheckForm
          fields={check.fields}
          apps={apps}
          canRun={check.valid}
          busy={check.busy}
          onRun={check.run}
        />
        {check.summary && check.result ? (
          <CheckResultView run={check.result} summary={check.summary} />
        ) : null}
      </RequireOperator>
    </Page>
  );
}
