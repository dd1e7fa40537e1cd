'use client';
import type { ReactNode } from 'react';
import { Badge } from '@/components/ui/badge';
import { CopyButton } from '@/components/ui/copy-button';
import type { AuthState } from '@/lib/hub/hub-context';
import type { KeyStatus } from '@/lib/keys/key-context';
import { formatTime } from '@/lib/utils';

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="grid grid-cols-[9rem_1fr] items-baseline gap-3 py-1.5">
      <dt className="text-[13px] text-muted-foreground">{label}</dt>
      <dd className="min-w-0 break-all">{children}</dd>
    </div>
  );
}

/** The stored key's public facts and whether it is unlocked and authorized. */
export function KeyFacts({
  file,
  name,
  fingerprint,
  status,
  auth,
}: {
  file: { keyId: string; publicKey: string; createdAt: number };
  name: string;
  fingerprint: string;
  status: KeyStatus;
  auth: AuthState;
}) {
  return (
    <dl className="divide-y">
      <Row label="Name">{name}</Row>
      <Row label="Key id">
        <span className="font-mono text-[13px]" data-testid="key-id">
          {file.keyId}
        </span>
      </Row>
      <Row label="Fingerprint">
        <span className="font-mono text-[13px]" data-testid="key-fingerprint">
          {fingerprint}
        </span>
      </Row>
      <Row label="Public key">
        <span className="font-mono text-[13px]" data-testid="key-public">
          {file.publicKey}
        </span>
      </Row>
      <Row label="Created">{formatTime(file.createdAt)}</Row>
      <Row label="State">
        <span className="flex flex-wrap gap-1.5">
          {status === 'unlocked' ? (
            <Badge tone="ok">unlocked (in memory)</Badge>
          ) : (
            <Badge>locked</Badge>
          )}
          {auth.state === 'operator' ? (
            <Badge tone="ok">authorized on this hub</Badge>
          ) : auth.state === 'refused' ? (
            <Badge tone="warn">not authorized yet ({auth.code})</Badge>
          ) : null}
        </span>
      </Row>
    </dl>
  );
}

/** The CLI command an administrator runs to let this key deploy. */
export function AuthorizeCommand({ command }: { command: string }) {
  return (
    <div className="grid gap-1.5">
      <p className="text-[13px] font-medium">To authorize this key, an administrator runs</p>
      <div className="flex items-start gap-2 rounded-md border bg-muted/50 p-2.5">
        <code
          className="min-w-0 flex-1 font-mono text-xs break-all"
          data-testid="add-operator-command"
        >
          {command}
        </code>
        <CopyButton text={command} />
      </div>
      <p className="text-xs text-muted-foreground">
        (with <code className="font-mono">--root-key</code> and the root document beside it), then{' '}
        <code className="font-mono">serfbort trust publish root.json keyring.json</code> to send the
        new keyring to the hub. Compare the fingerprint out loud.
      </p>
    </div>
  );
}
