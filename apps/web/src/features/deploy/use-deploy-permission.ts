'use client';
import { authorize, type HostView, type Target } from '@serfbort/core';
import { useMemo } from 'react';
import { useHub } from '@/lib/hub/hub-context';
import { useKey } from '@/lib/keys/key-context';

export type Permission = ReturnType<typeof authorize>;

/** The same rule the hub and agents apply, so the operator hears "no" before signing. */
export function useDeployPermission(
  app: string,
  appOk: boolean,
  target: Target | null,
  matching: HostView[],
): Permission | null {
  const { trust } = useHub();
  const { file } = useKey();
  return useMemo(() => {
    if (!trust?.keyring || !file || !target || !appOk) return null;
    return authorize(trust.keyring.keyring, {
      app,
      target,
      signers: [file.keyId],
      now: Date.now(),
      hosts: matching.map((h) => ({ name: h.name, labels: h.labels })),
    });
  }, [trust, file, target, app, appOk, matching]);
}

/**
 * This key may deploy the app there, but the keyring's policy wants more signatures than
 * one: the request becomes a proposal that other operators co-sign.
 */
export function needsCosigning(permission: Permission | null): boolean {
  return permission !== null && !permission.ok && permission.reason === 'THRESHOLD_NOT_MET';
}
