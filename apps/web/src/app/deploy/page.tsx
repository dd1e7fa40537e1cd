'use client';
import { Suspense } from 'react';
import { Page, ViewerCannot } from '@/components/shell/page';
import { DeployForm } from '@/features/deploy/deploy-form';
import { useHub } from '@/lib/hub/hub-context';

export default function DeployPage() {
  const { auth } = useHub();
  return (
    <Page
      title="Deploy"
      description="Signed in this browser with your key; the hub relays it, every host verifies it."
    >
      {auth.state === 'viewer' ? (
        <ViewerCannot what="deploying" />
      ) : (
        <Suspense>
          <DeployForm />
        </Suspense>
      )}
    </Page>
  );
}
