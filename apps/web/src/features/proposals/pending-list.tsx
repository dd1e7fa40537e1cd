'use client';
import { plural } from '@serfbort/client';
import type { Target } from '@serfbort/core';
import { ShieldXIcon } from 'lucide-react';
import Link from 'next/link';
import { Empty } from '@/components/shell/page';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { ago, formatTime, shortId, until } from '@/lib/utils';
import type { JudgedProposal } from './judge-proposal';
import { useProposals } from './proposals-context';

export function targetText(target: Target): string {
  if ('selector' in target) return target.selector;
  const shown = target.hosts.slice(0, 3).join(', ');
  return `${plural(target.hosts.length, 'host')}: ${shown}${target.hosts.length > 3 ? '…' : ''}`;
}

/** Open proposals, each verified here; one that does not verify is listed as such, loudly. */
export function PendingList() {
  const { open, loaded, error, now } = useProposals();
  return (
    <div className="grid gap-4">
      {error ? <Alert tone="warn" title={error} /> : null}
      {loaded && open.length === 0 ? (
        <Empty>
          No proposals waiting. A deploy of an app whose keyring policy needs more than one
          signature lands here for other operators to co-sign.
        </Empty>
      ) : (
        <Card className="overflow-hidden">
          <table className="w-full text-sm" data-testid="pending-table">
            <thead className="border-b bg-muted/50 text-left text-xs text-muted-foreground">
              <tr>
                <th className="px-4 py-2 font-medium">Request</th>
                <th className="px-4 py-2 font-medium">App → version</th>
                <th className="px-4 py-2 font-medium">Target</th>
                <th className="px-4 py-2 font-medium">Proposed by</th>
                <th className="px-4 py-2 font-medium">Signatures</th>
                <th className="px-4 py-2 font-medium">Expires</th>
              </tr>
            </thead>
            <tbody className="divide-y">
              {open.map((p) => (
                <PendingRow key={p.view.requestId} proposal={p} now={now} />
              ))}
            </tbody>
          </table>
        </Card>
      )}
    </div>
  );
}

function PendingRow({ proposal: p, now }: { proposal: JudgedProposal; now: number }) {
  const id = p.view.requestId;
  const link = (
    <Link
      className="font-mono text-primary underline"
      href={`/pending/${encodeURIComponent(id)}`}
      prefetch={false}
    >
      {shortId(id)}
    </Link>
  );
  if (!p.ok && p.code === 'EXPIRED')
    return (
      <tr data-proposal={id} data-verified="true" data-status="expired">
        <td className="px-4 py-2">{link}</td>
        <td className="px-4 py-2 text-muted-foreground" colSpan={5}>
          expired: {p.detail}
        </td>
      </tr>
    );
  if (!p.ok)
    return (
      <tr data-proposal={id} data-verified="false">
        <td className="px-4 py-2">{link}</td>
        <td className="px-4 py-2" colSpan={5}>
          <span className="inline-flex items-center gap-1 rounded bg-bad px-1.5 py-0.5 text-xs font-bold text-white">
            <ShieldXIcon className="size-3.5" />✗ does not verify: {p.code}
          </span>{' '}
          <span className="text-xs text-muted-foreground">{p.detail}</span>
        </td>
      </tr>
    );
  const v = p.verified;
  const r = v.request;
  const proposer = v.signatures.find((s) => s.keyId === v.proposedBy && s.genuine);
  return (
    <tr data-proposal={id} data-verified="true" data-status={p.status}>
      <td className="px-4 py-2" title={formatTime(p.view.createdAt)}>
        {link} <span className="text-xs text-muted-foreground">{ago(p.view.createdAt, now)}</span>
      </td>
      <td className="px-4 py-2">
        <span className="font-medium">{r.app}</span>{' '}
        <code className="font-mono text-[13px]">→ {r.version}</code>
      </td>
      <td className="max-w-64 truncate px-4 py-2 font-mono text-xs">{targetText(r.target)}</td>
      <td className="px-4 py-2">{proposer ? (proposer.name ?? shortId(proposer.keyId)) : '—'}</td>
      <td className="px-4 py-2" data-testid="signature-tally">
        <Badge tone={v.missing === 0 ? 'ok' : 'info'}>
          {v.have} of {v.threshold}
        </Badge>
      </td>
      <td className="px-4 py-2 text-muted-foreground" title={formatTime(r.expiresAt)}>
        {until(r.expiresAt, now)}
      </td>
    </tr>
  );
}
