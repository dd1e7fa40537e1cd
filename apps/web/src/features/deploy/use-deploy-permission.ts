'use client';
import { authorize, type HostView, type Target } from '@serfbort/core';
import { useMemo } from 'react';
import { useHub } from '@/lib/hub/hub-context';
import { useKey } from '@/lib/keys/key-context';

/** The same rule the hub and agents apply, so the operator hears "no" before signing. */
export function useDeployPermission(
  app: string,
  appOk: boolean,
  target: Target | null,
  matching: HostView[],
) {
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
