'use client';
import { EyeIcon, ShieldAlertIcon, UsersIcon } from 'lucide-react';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import type { Release } from './use-deploy-draft';
import { needsCosigning, type Permission } from './use-deploy-permission';

/** The keyring's answer for this key, app and target, when it is "no" or "not alone". */
export function PermissionAlert({
  permission,
  staged,
}: {
  permission: Permission | null;
  staged: Release;
}) {
  if (!permission || permission.ok) return null;
  if (needsCosigning(permission))
    return (
      <Alert
        tone="info"
        icon={<UsersIcon />}
        title={`Needs co-signing: ${permission.detail}`}
        data-testid="cosign-needed"
      >
        {staged === 'rollout'
          ? 'A rollout signs each step alone, so hosts would refuse every step: release it at once instead, as a proposal.'
          : 'Your signature is the first. Propose the request: other operators allowed this app review the exact bytes and co-sign in their Pending inbox, and it is submitted when enough have signed.'}
      </Alert>
    );
  return (
    <Alert
      tone="warn"
      icon={<ShieldAlertIcon />}
      title={`Hosts will refuse this: ${permission.reason}`}
    >
      {permission.detail}. The keyring decides what your key may deploy and where.
    </Alert>
  );
}

/** Submitting the form opens the review; nothing is signed before the operator sees the bytes. */
export function ReviewRow({
  staged,
  enabled,
  unlocked,
  propose,
}: {
  staged: Release;
  enabled: boolean;
  unlocked: boolean;
  /** the app needs more signatures than this key's: the review ends in a proposal */
  propose: boolean;
}) {
  const label =
    staged === 'rollout' ? 'Review rollout…' : propose ? 'Review and propose…' : 'Review and sign…';
  return (
    <div className="flex items-center gap-3">
      <Button type="submit" disabled={!enabled} data-testid="review-deploy">
        <EyeIcon />
        {label}
      </Button>
      {!unlocked ? (
        <span className="text-xs text-muted-foreground">Unlock your key to sign.</span>
      ) : null}
    </div>
  );
}
