'use client';
import { BarChart3Icon } from 'lucide-react';
import Link from 'next/link';
import { Suspense } from 'react';
import { Empty, Page, RequireReader } from '@/components/shell/page';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { HistoryFilterBar } from '@/features/history/history-filter-bar';
import { readFilters } from '@/features/history/history-query';
import { HistoryRow } from '@/features/history/history-row';
import { useHistory } from '@/features/history/use-history';
import { AuditHeadAlert } from '@/features/roster/audit-head-alert';
import { useQueryState } from '@/lib/use-query-state';

export default function HistoryPage() {
  return (
    <Page
      title="History"
      description="Every signed deployment the hub relayed, newest first. The hub filters and pages; the link holds the filters."
      actions={
        <Button asChild size="sm" variant="outline">
          <Link href="/charts">
            <BarChart3Icon />
            Charts
          </Link>
        </Button>
      }
    >
      <RequireReader what="the history">
        <AuditHeadAlert />
        {/* the filters live in the URL, read on the client */}
        <Suspense>
          <FilteredHistory />
        </Suspense>
      </RequireReader>
    </Page>
  );
}

function FilteredHistory() {
  const { params, set } = useQueryState();
  const { filters, ignored } = readFilters(params);
  const { items, more, loadOlder, previous, loading } = useHistory(filters);
  const filtered = Object.values(filters).some(Boolean);

  return (
    <>
      <HistoryFilterBar filters={filters} set={set} />
      {ignored.length > 0 ? (
        <Alert tone="warn" title="Some filters in the link were not valid and are ignored">
          {ignored.join(', ')}
        </Alert>
      ) : null}
      {items !== null && items.length === 0 ? (
        <Empty>{filtered ? 'No deployment matches these filters.' : 'No deployments yet.'}</Empty>
      ) : (
        <div className="overflow-auto rounded-lg border bg-card">
          <table
            className="w-full text-sm"
            data-testid="history-table"
            data-loading={loading || items === null ? 'true' : 'false'}
          >
            <thead className="border-b bg-muted/50 text-left text-xs text-muted-foreground">
              <tr>
                <th className="px-4 py-2 font-medium">When</th>
                <th className="px-4 py-2 font-medium">App → version</th>
                <th className="px-4 py-2 font-medium">Target</th>
                <th className="px-4 py-2 font-medium">Signed by</th>
                <th className="w-56 px-4 py-2 font-medium">Outcome</th>
                <th className="px-4 py-2" />
              </tr>
            </thead>
            <tbody className="divide-y">
              {(items ?? []).map((d) => (
                <HistoryRow key={d.requestId} d={d} prev={previous.get(d.requestId)} />
              ))}
            </tbody>
          </table>
          {more ? (
            <div className="border-t p-2 text-center">
              <Button variant="ghost" size="sm" onClick={loadOlder} data-testid="history-older">
                Load older
              </Button>
            </div>
          ) : null}
        </div>
      )}
    </>
  );
}
