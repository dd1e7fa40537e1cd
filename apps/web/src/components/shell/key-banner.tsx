'use client';
import { KeyRoundIcon, LockIcon, ShieldAlertIcon } from 'lucide-react';
import Link from 'next/link';
import type { ReactElement } from 'react';
import { UnlockForm } from '@/components/keys/unlock-form';
import { ViewerTokenForm } from '@/components/keys/viewer-token-form';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import type { HubState } from '@/lib/hub/hub-context';
import type { KeyStatus } from '@/lib/keys/key-context';

/** No key, a locked key, or a key the hub refuses; null when the operator can sign. */
export function keyBanner(
  status: KeyStatus,
  hub: Pick<HubState, 'auth' | 'connection' | 'retryAuth'>,
): ReactElement | null {
  if (hub.auth.state === 'refused' && hub.auth.as === 'viewer' && status !== 'unlocked')
    return (
      <Alert
        key="viewer-refused"
        tone="bad"
        icon={<ShieldAlertIcon />}
        title="The hub refused the viewer token"
        data-testid="banner-viewer-refused"
      >
        <p className="mb-2">
          {hub.auth.message} ({hub.auth.code}). Ask the hub&apos;s administrator for the current
          token and paste it here.
        </p>
        <ViewerTokenForm compact showRefusal={false} />
      </Alert>
    );
  // a viewer has what it came for; unlocking a stored key stays possible on the keys page
  if (hub.auth.state === 'viewer') return null;
  if (status === 'none')
    return (
      <Alert
        key="nokey"
        tone="info"
        icon={<KeyRoundIcon />}
        title="No operator key in this browser"
        action={
          <Button asChild size="sm">
            <Link href="/keys">Set up a key</Link>
          </Button>
        }
      >
        <p className="mb-2">
          Generate one here (it stays encrypted in this browser) or import a key file made with the
          CLI. To watch without a key, paste the hub&apos;s viewer token:
        </p>
        <ViewerTokenForm compact />
      </Alert>
    );
  if (status === 'locked')
    return (
      <Alert
        key="locked"
        tone="warn"
        icon={<LockIcon />}
        title="Key locked"
        data-testid="banner-key-locked"
      >
        <p className="mb-2">
          Enter the passphrase to sign in to the hub and sign deploys. The key is decrypted in
          memory only.
        </p>
        <UnlockForm compact />
      </Alert>
    );
  if (status === 'unlocked' && hub.auth.state === 'refused' && hub.connection !== 'reconnecting')
    return (
      <Alert
        key="refused"
        tone="warn"
        icon={<ShieldAlertIcon />}
        title="Not authorized yet"
        data-testid="banner-not-authorized"
        action={
          <Button size="sm" variant="outline" onClick={hub.retryAuth}>
            Try again
          </Button>
        }
      >
        The hub refused this key ({hub.auth.code}): it is not in the current keyring. An
        administrator adds it with the command shown on{' '}
        <Link className="text-primary underline" href="/keys">
          Keys &amp; trust
        </Link>
        ; this page retries by itself.
      </Alert>
    );
  return null;
}
