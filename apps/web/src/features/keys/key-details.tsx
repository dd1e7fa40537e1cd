'use client';
import { fingerprintOf, fromBase64 } from '@serfbort/core';
import { DownloadIcon, LockIcon, Trash2Icon } from 'lucide-react';
import { useState } from 'react';
import { UnlockForm } from '@/components/keys/unlock-form';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { CopyButton } from '@/components/ui/copy-button';
import { Dialog } from '@/components/ui/dialog';
import { useHub } from '@/lib/hub/hub-context';
import { useKey } from '@/lib/keys/key-context';
import { downloadKeyFile } from '@/lib/keys/key-store';
import { formatTime } from '@/lib/utils';

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="grid grid-cols-[9rem_1fr] items-baseline gap-3 py-1.5">
      <dt className="text-[13px] text-muted-foreground">{label}</dt>
      <dd className="min-w-0 break-all">{children}</dd>
    </div>
  );
}

/** Public facts about the stored key, and what to do with it. */
export function KeyDetails() {
  const key = useKey();
  const { auth } = useHub();
  const [confirmRemove, setConfirmRemove] = useState(false);
  const file = key.file;
  if (!file) return null;
  const name = file.name ?? 'operator';
  const command = `serfbort trust add-operator ${file.publicKey} --name ${name}`;
  const fingerprint = fingerprintOf(fromBase64(file.publicKey));

  return (
    <div className="grid gap-4">
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
            {key.status === 'unlocked' ? (
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
          then <code className="font-mono">serfbort trust publish</code> to send the new keyring to
          the hub. Compare the fingerprint out loud.
        </p>
      </div>
      {key.status === 'locked' ? <UnlockForm /> : null}
      <div className="flex flex-wrap gap-2">
        <Button variant="outline" onClick={() => downloadKeyFile(file)} data-testid="export-key">
          <DownloadIcon />
          Export key file
        </Button>
        {key.status === 'unlocked' ? (
          <Button variant="outline" onClick={key.lock} data-testid="lock-key">
            <LockIcon />
            Lock
          </Button>
        ) : null}
        <Button variant="ghost" className="text-bad" onClick={() => setConfirmRemove(true)}>
          <Trash2Icon />
          Remove from this browser
        </Button>
      </div>
      <p className="text-xs text-muted-foreground">
        The export is the encrypted key file (same format as the CLI's); the passphrase stays the
        same.
      </p>
      <Dialog
        open={confirmRemove}
        onOpenChange={setConfirmRemove}
        title="Remove the key from this browser?"
        description="Without an exported copy, this key is gone for good and an administrator must authorize a new one."
        footer={
          <>
            <Button variant="outline" onClick={() => setConfirmRemove(false)}>
              Keep it
            </Button>
            <Button
              variant="destructive"
              onClick={async () => {
                await key.remove();
                setConfirmRemove(false);
              }}
            >
              Remove key
            </Button>
          </>
        }
      >
        <p className="text-sm">
          Key {fingerprint} ({name}).
        </p>
      </Dialog>
    </div>
  );
}
