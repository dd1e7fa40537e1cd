'use client';
import { Page, RequireOperator } from '@/components/shell/page';
import { RolloutsList } from '@/features/rollout/rollouts-list';

export default function RolloutsPage() {
  return (
    <Page
      title="Rollouts"
      description="Canary first, in batches; each step signed in the browser that drives it, after the receipts of the one before verified."
    >
      <RequireOperator what="rollouts">
        <RolloutsList />
      </RequireOperator>
    </Page>
  );
}
