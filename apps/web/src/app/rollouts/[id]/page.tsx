'use client';
import { useParams } from 'next/navigation';
import { Page, RequireOperator } from '@/components/shell/page';
import { RolloutDetail } from '@/features/rollout/rollout-detail';

export default function RolloutPage() {
  const params = useParams<{ id: string }>();
  const id = decodeURIComponent(params.id);
  return (
    <Page
      title="Rollout"
      description="Live by step; a host's result is believed only from its receipt verified in this browser."
    >
      <RequireOperator what="this rollout">
        <RolloutDetail id={id} />
      </RequireOperator>
    </Page>
  );
}
