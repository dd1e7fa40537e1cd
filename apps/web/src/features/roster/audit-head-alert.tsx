'use client';
import type { AuditHead } from '@serfbort/core';
import { GitForkIcon } from 'lucide-react';
import { useEffect } from 'react';
import { Alert } from '@/components/ui/alert';
import { useAuditHead } from '@/lib/roster/audit-head-context';
import { ConfirmButton } from './confirm-dialog';

const headText = (h: AuditHead) => `row ${h.seq} · ${h.hash}`;

/**
 * Whether the hub's audit history still extends the head this browser verified last;
 * a fork is shown with both heads, and accepted only on purpose ("forget head").
 */
export function AuditHeadAlert() {
  const { audit, recheck, forgetHead } = useAuditHead();
  // the history page is where people look: check again on opening it
  useEffect(() => {
    void recheck();
  }, [recheck]);

  if (audit.state === 'unchecked')
    return (
      <Alert tone="warn" title="Audit history not checked" data-testid="audit-unchecked">
        {audit.why}.
      </Alert>
    );
  if (audit.state === 'failed')
    return (
      <Alert tone="warn" title="Audit history not checked yet" data-testid="audit-failed">
        {audit.detail}; nothing is signed for this hub until it is (asked again every few seconds).
      </Alert>
    );
  if (audit.state !== 'forked' && audit.state !== 'withheld') return null;
  const forked = audit.state === 'forked';
  return (
    <Alert
      tone="bad"
      icon={<GitForkIcon />}
      title={
        forked
          ? "AUDIT_FORKED — the hub's history does not extend the one this browser saw"
          : 'AUDIT_WITHHELD — the hub withholds the history it served this browser before'
      }
      data-testid={forked ? 'audit-forked' : 'audit-withheld'}
      action={
        <ConfirmButton
          label="Forget head"
          title="Accept the hub's history as it is now?"
          confirm="Forget head"
          testId="forget-head"
          onConfirm={forgetHead}
        >
          This browser forgets the audit head it verified for hub {audit.hubId} and remembers the
          hub&apos;s current one. Do this only if you know why the history changed (the hub was
          restored from a backup); otherwise the hub rewrote or forked its history.
        </ConfirmButton>
      }
    >
      <p>{audit.detail}</p>
      <dl className="mt-1.5 grid grid-cols-[auto_1fr] gap-x-3 font-mono text-xs">
        <dt>remembered</dt>
        <dd className="break-all" data-testid="audit-remembered">
          {headText(audit.remembered)}
        </dd>
        {forked ? (
          <>
            <dt>hub now</dt>
            <dd className="break-all" data-testid="audit-current">
              {headText(audit.current)}
            </dd>
          </>
        ) : null}
      </dl>
    </Alert>
  );
}
