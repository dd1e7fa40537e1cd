'use client';
import { useParams } from 'next/navigation';
import { Page, RequireReader } from '@/components/shell/page';
import { ProposalReview } from '@/features/proposals/proposal-review';

export default function ProposalPage() {
  const params = useParams<{ id: string }>();
  const id = decodeURIComponent(params.id);
  return (
    <Page
      title="Review a proposal"
      description="Exactly the bytes your key would co-sign, and who signed them so far."
    >
      <RequireReader what="this proposal">
        <ProposalReview requestId={id} />
      </RequireReader>
    </Page>
  );
}
