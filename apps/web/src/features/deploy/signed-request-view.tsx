'use client';
import { plural } from '@serfbort/client';
import { SignedBytes } from '@/components/keys/signing-dialog';
import { formatTime } from '@/lib/utils';
import type { PreparedRequest } from './build-request';

/** The request in plain words, then the exact bytes the key signs and their digest. */
export function SignedRequestView({
  prepared,
  hostCount,
}: {
  prepared: PreparedRequest;
  hostCount: number | null;
}) {
  const r = prepared.request;
  return (
    <>
      <p className="text-sm">
        Deploy <b>{r.app}</b> version{' '}
        <code className="rounded bg-muted px-1 font-mono">{r.version}</code> to{' '}
        {'selector' in r.target ? (
          <>
            hosts matching{' '}
            <code className="rounded bg-muted px-1 font-mono">{r.target.selector}</code>
          </>
        ) : (
          plural(r.target.hosts.length, 'named host')
        )}
        {hostCount !== null ? ` (${hostCount} known now)` : ''}; valid until{' '}
        {formatTime(r.expiresAt)}.
        {r.artifact ? (
          <>
            {' '}
            Exactly the artifact with SHA-256{' '}
            <code className="rounded bg-muted px-1 font-mono break-all">{r.artifact.sha256}</code> (
            {r.artifact.size} bytes).
          </>
        ) : null}
      </p>
      <SignedBytes caption="Signed payload" signed={prepared} testId="signed-json" />
    </>
  );
}
