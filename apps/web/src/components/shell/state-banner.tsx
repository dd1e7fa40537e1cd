'use client';
import { KeyRoundIcon, LockIcon, ShieldAlertIcon, ShieldXIcon, WifiOffIcon } from 'lucide-react';
import Link from 'next/link';
import { UnlockForm } from '@/components/keys/unlock-form';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { useHub } from '@/lib/hub/hub-context';
import { useKey } from '@/lib/keys/key-context';
import { formatTime, until } from '@/lib/utils';

/** The one most important thing standing between the operator and a deploy. */
export function StateBanner() {
  const { hubUrl, allowedOrigins, connection, attempts, auth, trust, retryAuth } = useHub();
  const key = useKey();
  const banners = [];

  if (connection !== 'connected' && (connection === 'reconnecting' || attempts > 0)) {
    banners.push(
      <Alert
        key="hub"
        tone="bad"
        icon={<WifiOffIcon />}
        title="Hub unreachable — reconnecting…"
        data-testid="banner-hub-unreachable"
      >
        Cannot reach <span className="font-mono">{hubUrl}</span>
        {attempts > 1 ? ` (attempt ${attempts})` : ''}. Nothing is lost: deploys already signed keep
        running on the hosts, and this page catches up when the hub is back.
        {!allowedOrigins.includes(hubUrl)
          ? ' This URL is not in the page’s Content-Security-Policy, so the browser blocks it.'
          : ''}
      </Alert>,
    );
  }
  if (trust?.status === 'invalid') {
    banners.push(
      <Alert
        key="trust-invalid"
        tone="bad"
        icon={<ShieldXIcon />}
        title={`Trust documents do not verify (${trust.error?.code})`}
        data-testid="banner-trust-invalid"
      >
        {trust.error?.message}. Receipts cannot be verified and deploys will be refused until an
        administrator publishes valid documents.
      </Alert>,
    );
  } else if (trust?.status === 'expired') {
    banners.push(
      <Alert
        key="trust-expired"
        tone="bad"
        icon={<ShieldXIcon />}
        title="Trust expired — no host will accept deploys"
        data-testid="banner-trust-expired"
      >
        The {trust.root && trust.root.root.expiresAt <= Date.now() ? 'root' : 'keyring'} expired{' '}
        {trust.expiresAt ? formatTime(trust.expiresAt) : ''}. An administrator renews it with{' '}
        <code className="font-mono">serfbort trust publish</code>.
      </Alert>,
    );
  } else if (trust?.status === 'expiring' && trust.expiresAt) {
    banners.push(
      <Alert
        key="trust-expiring"
        tone="warn"
        icon={<ShieldAlertIcon />}
        title={`Trust expires ${until(trust.expiresAt)}`}
      >
        After {formatTime(trust.expiresAt)} hosts refuse every deploy until a renewed keyring is
        published.
      </Alert>,
    );
  }
  if (key.status === 'none') {
    banners.push(
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
        Generate one here (it stays encrypted in this browser) or import a key file made with the
        CLI.
      </Alert>,
    );
  } else if (key.status === 'locked') {
    banners.push(
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
      </Alert>,
    );
  } else if (
    key.status === 'unlocked' &&
    auth.state === 'refused' &&
    connection !== 'reconnecting'
  ) {
    banners.push(
      <Alert
        key="refused"
        tone="warn"
        icon={<ShieldAlertIcon />}
        title="Not authorized yet"
        data-testid="banner-not-authorized"
        action={
          <Button size="sm" variant="outline" onClick={retryAuth}>
            Try again
          </Button>
        }
      >
        The hub refused this key ({auth.code}): it is not in the current keyring. An administrator
        adds it with the command shown on{' '}
        <Link className="text-primary underline" href="/keys">
          Keys &amp; trust
        </Link>
        ; this page retries by itself.
      </Alert>,
    );
  }
  if (banners.length === 0) return null;
  return <div className="grid gap-2 px-6 pt-4">{banners}</div>;
}
