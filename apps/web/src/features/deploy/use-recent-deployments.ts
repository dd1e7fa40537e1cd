'use client';
import type { DeploymentSummary } from '@serfbort/core';
import { useEffect, useState } from 'react';
import { call } from '@/lib/hub/call';
import { useHub } from '@/lib/hub/hub-context';

/** The hub's latest deployments, the source of app and version suggestions. */
export function useRecentDeployments(): DeploymentSummary[] {
  const { socket, ready, session } = useHub();
  const [recent, setRecent] = useState<DeploymentSummary[]>([]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: session marks a new login
  useEffect(() => {
    if (!socket || !ready) return;
    void call(socket, 'deploy:list', { limit: 100 }).then((ack) => ack.ok && setRecent(ack.data));
  }, [socket, ready, session]);

  return recent;
}
