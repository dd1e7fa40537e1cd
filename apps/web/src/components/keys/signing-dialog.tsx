'use client';
import { PAYLOAD_TYPES } from '@serfbort/core';
import { PenLineIcon, ShieldAlertIcon } from 'lucide-react';
import type { ReactNode } from 'react';
import { UnlockForm } from '@/components/keys/unlock-form';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { useHub } from '@/lib/hub/hub-context';
import { useKey } from '@/lib/keys/key-context';

export interface SignRefusal {
  code: string;
  message: string;
}

/**
 * The frame of every "review, then sign in this browser" dialog: signing waits for an
 * unlocked key and a ready hub, and a refusal is shown in the dialog, next to what was signed.
 */
export function SigningDialog({
  open,
  onDismiss,
  title,
  description,
  busy,
  onSign,
  signLabel,
  busyLabel,
  signTestId,
  refusal,
  refusalTestId,
  children,
}: {
  open: boolean;
  /** closing by Cancel, Escape or the close button */
  onDismiss: () => void;
  title: string;
  description: string;
  busy: boolean;
  onSign: () => void;
  signLabel: string;
  busyLabel: string;
  signTestId: string;
  refusal: SignRefusal | null;
  refusalTestId: string;
  /** what is signed; nothing is drawn without it */
  children: ReactNode | null;
}) {
  const { ready } = useHub();
  const { keyPair } = useKey();
  return (
    <Dialog
      open={open}
      onOpenChange={(o) => {
        if (!o) onDismiss();
      }}
      className="w-[min(760px,94vw)]"
      title={title}
      description={description}
      footer={
        <>
          <Button variant="outline" onClick={onDismiss} disabled={busy}>
            Cancel
          </Button>
          <Button onClick={onSign} disabled={busy || !keyPair || !ready} data-testid={signTestId}>
            <PenLineIcon />
            {busy ? busyLabel : signLabel}
          </Button>
        </>
      }
    >
      {children ? (
        <div className="grid gap-4">
          {children}
          {!keyPair ? (
            <Alert tone="warn" title="Unlock your key to sign">
              <UnlockForm compact />
            </Alert>
          ) : null}
          {refusal ? (
            <Alert
              tone="bad"
              icon={<ShieldAlertIcon />}
              title={`Refused: ${refusal.code}`}
              data-testid={refusalTestId}
            >
              {refusal.message}
            </Alert>
          ) : null}
        </div>
      ) : null}
    </Dialog>
  );
}

/** The exact bytes a key signs, as canonical JSON, with their digest. */
export function SignedBytes({
  caption,
  signed,
  testId,
}: {
  caption: ReactNode;
  signed: { bytes: Uint8Array; text: string; digest: string };
  testId: string;
}) {
  return (
    <div className="grid gap-1">
      <span className="text-xs text-muted-foreground">
        {caption} ({signed.bytes.length} bytes, canonical JSON, type {PAYLOAD_TYPES.deploy})
      </span>
      <pre
        className="max-h-72 overflow-auto rounded-md border bg-muted/50 p-3 font-mono text-xs break-all whitespace-pre-wrap"
        data-testid={testId}
      >
        {signed.text}
      </pre>
      <p className="font-mono text-[11px] text-muted-foreground">sha256 {signed.digest}</p>
    </div>
  );
}
