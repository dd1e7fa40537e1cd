'use client';
import { formatDuration, plural } from '@serfbort/client';
import { PAYLOAD_TYPES } from '@serfbort/core';
import { PenLineIcon, ShieldAlertIcon } from 'lucide-react';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { UnlockForm } from '@/components/keys/unlock-form';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { useHub } from '@/lib/hub/hub-context';
import { useKey } from '@/lib/keys/key-context';
import { formatTime } from '@/lib/utils';
import { HubRefusal } from './hub-calls';
import type { PreparedRollout } from './rollout-draft';
import { useRolloutDriver } from './rollout-driver';

/**
 * The plan in words and step 1's exact bytes. Later steps are signed by this browser
 * only after it verified the receipts of the step before and the budget still holds.
 */
export function RolloutSignDialog({
  prepared,
  onClose,
}: {
  prepared: PreparedRollout | null;
  onClose: () => void;
}) {
  const { ready } = useHub();
  const { keyPair } = useKey();
  const driver = useRolloutDriver();
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<{ code: string; message: string } | null>(null);
  const s = prepared?.start;

  async function startRollout() {
    if (!prepared) return;
    setBusy(true);
    setRefusal(null);
    try {
      const view = await driver.start(prepared);
      onClose();
      router.push(`/rollouts/${encodeURIComponent(view.id)}`);
    } catch (e) {
      setRefusal(
        e instanceof HubRefusal
          ? { code: e.code, message: e.message.slice(e.code.length + 2) }
          : { code: 'NOT_STARTED', message: e instanceof Error ? e.message : String(e) },
      );
    } finally {
      setBusy(false);
    }
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
      title="Review the rollout and sign step 1"
      description="This browser signs one request per step, naming that step's hosts; it releases a step only after verifying the receipts of the one before."
      footer={
        <>
          <Button variant="outline" onClick={onClose} disabled={busy}>
            Cancel
          </Button>
          <Button
            onClick={startRollout}
            disabled={busy || !keyPair || !ready}
            data-testid="rollout-sign-start"
          >
            <PenLineIcon />
            {busy ? 'Starting…' : 'Sign step 1 and start'}
          </Button>
        </>
      }
    >
      {s && prepared ? (
        <div className="grid gap-4">
          <p className="text-sm">
            Roll <b>{s.app}</b> out at version{' '}
            <code className="rounded bg-muted px-1 font-mono">{s.version}</code> to{' '}
            {plural(s.plan.total, 'host')} in {plural(s.plan.steps.length, 'step')}
            {s.options.waitMs ? `, ${formatDuration(s.options.waitMs)} apart` : ''}. It halts at{' '}
            {plural(s.plan.budget + 1, 'failure')}
            {s.options.onFailure === 'rollback'
              ? ' and rolls the hosts that ran back to their version before'
              : ''}
            . Each step&apos;s request expires {formatDuration(s.options.stepTimeoutMs)} after it is
            signed; step 1&apos;s at {formatTime(prepared.first.expiresAt)}.
          </p>
          <div className="grid gap-1">
            <span className="text-xs text-muted-foreground">
              Step 1&apos;s signed payload ({prepared.bytes.length} bytes, canonical JSON, type{' '}
              {PAYLOAD_TYPES.deploy})
            </span>
            <pre
              className="max-h-72 overflow-auto rounded-md border bg-muted/50 p-3 font-mono text-xs break-all whitespace-pre-wrap"
              data-testid="rollout-first-request"
            >
              {prepared.text}
            </pre>
            <p className="font-mono text-[11px] text-muted-foreground">sha256 {prepared.digest}</p>
          </div>
          <p className="text-xs text-muted-foreground">
            Keep this tab open while it runs: the drive lives in this page. If it closes, the
            rollout reads &ldquo;expired&rdquo; once its lock lapses and can be resumed from its
            receipts.
          </p>
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
              data-testid="rollout-refusal"
            >
              {refusal.message}
            </Alert>
          ) : null}
        </div>
      ) : null}
    </Dialog>
  );
}
