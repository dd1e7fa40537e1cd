'use client';
import { formatDuration, plural } from '@serfbort/client';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { SignedBytes, SigningDialog, type SignRefusal } from '@/components/keys/signing-dialog';
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
  const driver = useRolloutDriver();
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<SignRefusal | null>(null);
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
    <SigningDialog
      open={prepared !== null}
      onDismiss={() => {
        setRefusal(null);
        onClose();
      }}
      title="Review the rollout and sign step 1"
      description="This browser signs one request per step, naming that step's hosts; it releases a step only after verifying the receipts of the one before."
      busy={busy}
      onSign={startRollout}
      signLabel="Sign step 1 and start"
      busyLabel="Starting…"
      signTestId="rollout-sign-start"
      refusal={refusal}
      refusalTestId="rollout-refusal"
    >
      {s && prepared ? (
        <>
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
          <SignedBytes
            caption="Step 1's signed payload"
            signed={prepared}
            testId="rollout-first-request"
          />
          <p className="text-xs text-muted-foreground">
            Keep this tab open while it runs: the drive lives in this page. If it closes, the
            rollout reads &ldquo;expired&rdquo; once its lock lapses and can be resumed from its
            receipts.
          </p>
        </>
      ) : null}
    </SigningDialog>
  );
}
