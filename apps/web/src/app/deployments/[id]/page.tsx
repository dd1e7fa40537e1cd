'use client';
import { useParams } from 'next/navigation';
import { Page, RequireReader } from '@/components/shell/page';
import { LiveView } from '@/features/live/live-view';

export default function DeploymentPage() {
  const params = useParams<{ id: string }>();
  const id = decodeURIComponent(params.id);
  return (
    <Page
      title="Deployment"
      description="Live per-host progress; every outcome is believed only from a receipt verified in this browser."
    >
      <RequireReader what="this deployment">
        <LiveView requestId={id} />
      </RequireReader>
    </Page>
  );
}
