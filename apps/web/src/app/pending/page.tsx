'use client';
import { Page, RequireReader } from '@/components/shell/page';
import { PendingList } from '@/features/proposals/pending-list';

export default function PendingPage() {
  return (
    <Page
      title="Pending"
      description="Deploy requests waiting for co-signatures. Every signature is checked in this browser against the verified keyring; the hub only relays them."
    >
      <RequireReader what="pending proposals">
        <PendingList />
      </RequireReader>
    </Page>
  );
}
