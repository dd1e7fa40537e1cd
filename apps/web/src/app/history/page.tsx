'use client';
import { useState } from 'react';
import { Empty, Page, RequireReader } from '@/components/shell/page';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { HistoryRow } from '@/features/history/history-row';
import { useHistory } from '@/features/history/use-history';
import { AuditHeadAlert } from '@/features/roster/audit-head-alert';

export default function HistoryPage() {
  const { items, more, loadOlder, previous } = useHistory();
  const [filter, setFilter] = useState('');
  const shown = (items ?? []).filter(
    (d) =>
      !filter ||
      d.app.includes(filter) ||
      d.version.includes(filter) ||
      d.signerNames.some((s) => s.includes(filter)),
  );

  return (
    <Page
      title="History"
      description="Every signed deployment the hub relayed, newest first."
      actions={
        <Input
          className="w-64"
          placeholder="Filter by app, version or signer"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
          aria-label="Filter history"
        />
      }
    >
      <RequireReader what="the history">
        <AuditHeadAlert />
        {items !== null && items.length === 0 ? (
          <Empty>No deployments yet.</Empty>
        ) : (
          <div className="overflow-auto rounded-lg border bg-card">
            <table className="w-full text-sm" data-testid="history-table">
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
                {shown.map((d) => (
                  <HistoryRow key={d.requestId} d={d} prev={previous.get(d.requestId)} />
                ))}
              </tbody>
            </table>
            {more ? (
              <div className="border-t p-2 text-center">
                <Button variant="ghost" size="sm" onClick={loadOlder}>
                  Load older
                </Button>
              </div>
            ) : null}
          </div>
        )}
      </RequireReader>
    </Page>
  );
}
