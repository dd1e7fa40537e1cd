'use client';
import { ShieldAlertIcon, ShieldXIcon } from 'lucide-react';
import type { ReactElement } from 'react';
import { Alert } from '@/components/ui/alert';
import type { TrustView } from '@/lib/trust/verify-trust';
import { formatTime, until } from '@/lib/utils';

/** Trust documents that do not verify, have expired, or expire soon; null when all is well. */
export function trustBanner(trust: TrustView | null): ReactElement | null {
  if (trust?.status === 'invalid')
    return (
      <Alert
        key="trust-invalid"
        tone="bad"
        icon={<ShieldXIcon />}
        title={`Trust documents do not verify (${trust.error?.code})`}
        data-testid="banner-trust-invalid"
      >
        {trust.error?.message}. Receipts cannot be verified and deploys will be refused until an
        administrator publishes valid documents.
      </Alert>
    );
  if (trust?.status === 'expired')
    return (
      <Alert
        key="trust-expired"
        tone="bad"
        icon={<ShieldXIcon />}
        title="Trust expired — no host will accept deploys"
        data-testid="banner-trust-expired"
      >
        The {trust.root && trust.root.root.expiresAt <= Date.now() ? 'root' : 'keyring'} expired{' '}
        {trust.expiresAt ? formatTime(trust.expiresAt) : ''}. An administrator renews it with{' '}
        <code className="font-mono">serfbort trust renew</code>, then{' '}
        <code className="font-mono">serfbort trust publish root.json keyring.json</code>.
      </Alert>
    );
  if (trust?.status === 'expiring' && trust.expiresAt)
    return (
      <Alert
        key="trust-expiring"
        tone="warn"
        icon={<ShieldAlertIcon />}
        title={`Trust expires ${until(trust.expiresAt)}`}
      >
        After {formatTime(trust.expiresAt)} hosts refuse every deploy until a renewed keyring is
        published.
      </Alert>
    );
  return null;
}
