'use client';
import { useParams } from 'next/navigation';
import { Page, RequireReader } from '@/components/shell/page';
import { RolloutDetail } from '@/features/rollout/rollout-detail';

export default function RolloutPage() {
  const params = useParams<{ id: string }>();
  const id = decodeURIComponent(params.id);
  return (
    <Page
      title="Rollout"
      description="Live by step; a host's result is believed only from its receipt verified in this browser."
    >
      <RequireReader what="this rollout">
        <RolloutDetail id={id} />
      </RequireReader>
    </Page>
  );
}
