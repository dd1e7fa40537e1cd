'use client';
import { PAYLOAD_TYPES, signBytes, signerFor } from '@serfbort/core';
import { PenLineIcon, ShieldAlertIcon } from 'lucide-react';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { toast } from 'sonner';
import { UnlockForm } from '@/components/keys/unlock-form';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { callWithTimeout } from '@/lib/hub/call';
import { useHub } from '@/lib/hub/hub-context';
import { useKey } from '@/lib/keys/key-context';
import { formatTime } from '@/lib/utils';
import type { PreparedRequest } from './build-request';

/** a busy hub stores the request and its hosts before it answers */
const SUBMIT_TIMEOUT_MS = 60_000;

/**
 * The last step before a signature: the exact canonical JSON that will be signed, its
 * digest, and a plain-words summary. Signing happens here, in this browser.
 */
export function SignDialog({
  prepared,
  hostCount,
  onClose,
}: {
  prepared: PreparedRequest | null;
  hostCount: number | null;
  onClose: () => void;
}) {
  const { socket, ready } = useHub();
  const { keyPair } = useKey();
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<{ code: string; message: string } | null>(null);
  const r = prepared?.request;

  async function signAndSubmit() {
    if (!prepared || !keyPair || !socket) return;
    setBusy(true);
    setRefusal(null);
    // the same bytes always sign to the same envelope (Ed25519 is deterministic), and the
    // hub treats a resubmission of the same id and bytes as a retry: "Sign and deploy"
    // after a timeout cannot create a second deployment
    const envelope = signBytes(PAYLOAD_TYPES.deploy, prepared.bytes, [signerFor(keyPair)]);
    const ack = await callWithTimeout(socket, SUBMIT_TIMEOUT_MS, 'deploy:submit', envelope);
    setBusy(false);
    if (!ack.ok) {
      setRefusal(ack.error);
      toast.error(`Deploy refused: ${ack.error.code}`);
      return;
    }
    toast.success(
      `Signed and submitted to ${ack.data.hosts.length} host${ack.data.hosts.length === 1 ? '' : 's'}`,
    );
    onClose();
    router.push(`/deployments/${encodeURIComponent(prepared.request.id)}`);
  }

  return (
    <Dialog
      open={prepared !== null}
      onOpenChange={(o) => {
        if (!o) {
          setRefusal(null);
          onClose();
        }
      }}
      className="w-[min(760px,94vw)]"
      title="Review and sign"
      description="This is exactly what your key will sign. Hosts check every field; the hub cannot change any of it."
      footer={
        <>
          <Button variant="outline" onClick={onClose} disabled={busy}>
            Cancel
          </Button>
          <Button
            onClick={signAndSubmit}
            disabled={busy || !keyPair || !ready}
            data-testid="sign-submit"
          >
            <PenLineIcon />
            {busy ? 'Signing…' : 'Sign and deploy'}
          </Button>
        </>
      }
    >
      {r && prepared ? (
        <div className="grid gap-4">
          <p className="text-sm">
            Deploy <b>{r.app}</b> version{' '}
            <code className="rounded bg-muted px-1 font-mono">{r.version}</code> to{' '}
            {'selector' in r.target ? (
              <>
                hosts matching{' '}
                <code className="rounded bg-muted px-1 font-mono">{r.target.selector}</code>
              </>
            ) : (
              <>
                {r.target.hosts.length} named host{r.target.hosts.length === 1 ? '' : 's'}
              </>
            )}
            {hostCount !== null ? ` (${hostCount} known now)` : ''}; valid until{' '}
            {formatTime(r.expiresAt)}.
          </p>
          <div className="grid gap-1">
            <div className="flex items-center justify-between text-xs text-muted-foreground">
              <span>
                Signed payload ({prepared.bytes.length} bytes, canonical JSON, type{' '}
                {PAYLOAD_TYPES.deploy})
              </span>
            </div>
            <pre
              className="max-h-72 overflow-auto rounded-md border bg-muted/50 p-3 font-mono text-xs break-all whitespace-pre-wrap"
              data-testid="signed-json"
            >
              {prepared.text}
            </pre>
            <p className="font-mono text-[11px] text-muted-foreground">sha256 {prepared.digest}</p>
          </div>
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
              data-testid="deploy-refusal"
            >
              {refusal.message}
            </Alert>
          ) : null}
        </div>
      ) : null}
    </Dialog>
  );
}
