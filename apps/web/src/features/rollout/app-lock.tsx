'use client';
import {
  canonicalBytes,
  type LockView,
  PAYLOAD_TYPES,
  signerFor,
  signPayload,
  utf8Decode,
} from '@serfbort/core';
import { LockIcon, UnlockIcon } from 'lucide-react';
import Link from 'next/link';
import { useCallback, useEffect, useState } from 'react';
import { toast } from 'sonner';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { call } from '@/lib/hub/call';
import { useHub } from '@/lib/hub/hub-context';
import { useSigningKey } from '@/lib/keys/use-signing-key';
import { ago, shortId, until } from '@/lib/utils';
import { useRolloutDriver } from './rollout-driver';

/** lock:status for an app, asked again whenever one of its rollouts changes */
export function useAppLock(app: string | null): { lock: LockView | null; reload: () => void } {
  const { socket, canRead: ready, session } = useHub();
  const { feed } = useRolloutDriver();
  const [lock, setLock] = useState<LockView | null>(null);
  const [nonce, setNonce] = useState(0);
  const reload = useCallback(() => setNonce((n) => n + 1), []);

  useEffect(
    () => (app ? feed.listen((v) => v.app === app && reload()) : undefined),
    [app, feed, reload],
  );
  // biome-ignore lint/correctness/useExhaustiveDependencies: session and nonce ask again
  useEffect(() => {
    if (!socket || !ready || !app) {
      setLock(null);
      return;
    }
    let cancelled = false;
    void call(socket, 'lock:status', { app }).then((ack) => {
      if (!cancelled) setLock(ack.ok ? ack.data : null);
    });
    return () => {
      cancelled = true;
    };
  }, [socket, ready, session, app, nonce]);
  return { lock, reload };
}

/** The app's rollout lock where the app is shown: who holds it, for which rollout, since when. */
export function AppLockNotice({ app }: { app: string }) {
  const { lock, reload } = useAppLock(app);
  const [releasing, setReleasing] = useState(false);
  if (!lock) return null;
  return (
    <Alert
      tone="warn"
      icon={<LockIcon />}
      title={
        <span data-testid="app-lock" data-rollout={lock.rolloutId}>
          {lock.app} is locked by rollout{' '}
          <Link className="underline" href={`/rollouts/${encodeURIComponent(lock.rolloutId)}`}>
            {shortId(lock.rolloutId)}
          </Link>
        </span>
      }
      action={
        <Button
          type="button"
          variant="outline"
          size="xs"
          onClick={() => setReleasing(true)}
          data-testid="release-lock"
        >
          <UnlockIcon />
          Release lock…
        </Button>
      }
    >
      held by {lock.ownerName} since {ago(lock.acquiredAt)}, expires {until(lock.expiresAt)} unless
      its driver renews it. Plain deploys of {lock.app} are refused until then.
      {releasing ? (
        <ReleaseLockDialog lock={lock} onClose={() => setReleasing(false)} onReleased={reload} />
      ) : null}
    </Alert>
  );
}

/** A signed lock-release for a stuck lock: the owner's, or any operator's allowed the app. */
function ReleaseLockDialog({
  lock,
  onClose,
  onReleased,
}: {
  lock: LockView | null;
  onClose: () => void;
  onReleased: () => void;
}) {
  const { socket } = useHub();
  const { keyPair, mayNotSign } = useSigningKey();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // taken when the dialog opens: the hub accepts a release only within its clock skew
  const [at] = useState(() => Date.now());
  const payload = lock
    ? { type: 'lock-release', app: lock.app, rolloutId: lock.rolloutId, at }
    : null;

  async function release() {
    if (!payload || !keyPair || !socket) return;
    setBusy(true);
    setError(null);
    const forbidden = await mayNotSign();
    if (forbidden) {
      setBusy(false);
      setError(`${forbidden.code}: ${forbidden.message}`);
      return;
    }
    const envelope = signPayload(PAYLOAD_TYPES.lockRelease, payload, [signerFor(keyPair)]);
    const ack = await call(socket, 'lock:release', envelope);
    setBusy(false);
    if (!ack.ok) {
      setError(`${ack.error.code}: ${ack.error.message}`);
      return;
    }
    toast.success(`Released the lock of ${ack.data.app}`);
    onReleased();
    onClose();
  }

  return (
    <Dialog
      open={lock !== null}
      onOpenChange={(o) => !o && onClose()}
      title="Release the lock?"
      description="Its rollout is marked aborted; a driver still running it can no longer release steps."
      footer={
        <>
          <Button variant="outline" onClick={onClose} disabled={busy}>
            Cancel
          </Button>
          <Button
            variant="destructive"
            onClick={release}
            disabled={busy || !keyPair}
            data-testid="release-lock-sign"
          >
            {busy ? 'Releasing…' : 'Sign and release'}
          </Button>
        </>
      }
    >
      {payload ? (
        <div className="grid gap-2">
          <pre className="overflow-auto rounded-md border bg-muted/50 p-3 font-mono text-xs break-all whitespace-pre-wrap">
            {utf8Decode(canonicalBytes(payload))}
          </pre>
          {error ? <p className="text-xs text-bad">{error}</p> : null}
        </div>
      ) : null}
    </Dialog>
  );
}
