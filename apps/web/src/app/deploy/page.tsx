'use client';
import { Suspense } from 'react';
import { Page } from '@/components/shell/page';
import { DeployForm } from '@/features/deploy/deploy-form';

export default function DeployPage() {
  return (
    <Page
      title="Deploy"
      description="Signed in this browser with your key; the hub relays it, every host verifies it."
    >
      <Suspense>
        <DeployForm />
      </Suspense>
    </Page>
  );
}
