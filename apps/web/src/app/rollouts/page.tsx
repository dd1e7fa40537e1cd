'use client';
import { Page, RequireReader } from '@/components/shell/page';
import { RolloutsList } from '@/features/rollout/rollouts-list';

export default function RolloutsPage() {
  return (
    <Page
      title="Rollouts"
      description="Canary first, in batches; each step signed in the browser that drives it, after the receipts of the one before verified."
    >
      <RequireReader what="rollouts">
        <RolloutsList />
      </RequireReader>
    </Page>
  );
}
