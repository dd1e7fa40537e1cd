'use client';
import type { authorize } from '@serfbort/core';
import { EyeIcon, ShieldAlertIcon } from 'lucide-react';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import type { Release } from './use-deploy-draft';

/** The keyring's answer for this key, app and target, when it is "no". */
export function PermissionAlert({
  permission,
}: {
  permission: ReturnType<typeof authorize> | null;
}) {
  if (!permission || permission.ok) return null;
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
}: {
  staged: Release;
  enabled: boolean;
  unlocked: boolean;
}) {
  return (
    <div className="flex items-center gap-3">
      <Button type="submit" disabled={!enabled} data-testid="review-deploy">
        <EyeIcon />
        {staged === 'rollout' ? 'Review rollout…' : 'Review and sign…'}
      </Button>
      {!unlocked ? (
        <span className="text-xs text-muted-foreground">Unlock your key to sign.</span>
      ) : null}
    </div>
  );
}
