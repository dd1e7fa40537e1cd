'use client';
import { DownloadIcon, LockIcon, Trash2Icon } from 'lucide-react';
import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import type { KeyState } from '@/lib/keys/key-context';
import { downloadKeyFile } from '@/lib/keys/key-store';

/** Export, lock, or remove the stored key; removal asks first. */
export function KeyActions({
  k,
  file,
  name,
  fingerprint,
}: {
  k: KeyState;
  file: NonNullable<KeyState['file']>;
  name: string;
  fingerprint: string;
}) {
  const [confirmRemove, setConfirmRemove] = useState(false);
  return (
    <>
      <div className="flex flex-wrap gap-2">
        <Button variant="outline" onClick={() => downloadKeyFile(file)} data-testid="export-key">
          <DownloadIcon />
          Export key file
        </Button>
        {k.status === 'unlocked' ? (
          <Button variant="outline" onClick={k.lock} data-testid="lock-key">
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
                await k.remove();
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
    </>
  );
}
