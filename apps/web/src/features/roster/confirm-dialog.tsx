'use client';
import { type ReactNode, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';

/** A button that asks once more before an action that makes this browser forget something. */
export function ConfirmButton({
  label,
  title,
  children,
  confirm,
  onConfirm,
  testId,
}: {
  label: string;
  title: string;
  children: ReactNode;
  confirm: string;
  onConfirm: () => Promise<unknown>;
  testId: string;
}) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  return (
    <>
      <Button variant="outline" size="xs" onClick={() => setOpen(true)} data-testid={testId}>
        {label}
      </Button>
      <Dialog
        open={open}
        onOpenChange={setOpen}
        title={title}
        footer={
          <>
            <Button variant="ghost" onClick={() => setOpen(false)}>
              Cancel
            </Button>
            <Button
              variant="destructive"
              disabled={busy}
              data-testid={`${testId}-confirm`}
              onClick={async () => {
                setBusy(true);
                try {
                  await onConfirm();
                } finally {
                  setBusy(false);
                  setOpen(false);
                }
              }}
            >
              {confirm}
            </Button>
          </>
        }
      >
        <div className="text-sm">{children}</div>
      </Dialog>
    </>
  );
}
