'use client';
import type { DeploymentUpdate, DeploymentView, HostProgress } from '@serfbort/core';
import { useEffect, useRef, useState } from 'react';
import { call } from '@/lib/hub/call';
import { useHub } from '@/lib/hub/hub-context';
import { mergeHost } from './host-outcome';

export interface StepDeployment {
  view: DeploymentView;
  hosts: ReadonlyMap<string, HostProgress>;
}

/**
 * The deployments of a rollout's released steps, live. It never unwatches: a driver in
 * this browser may be waiting on the same deployment, and the hub's rooms are per socket.
 */
export function useStepDeployments(
  requestIds: readonly string[],
): ReadonlyMap<string, StepDeployment> {
  const { socket, canRead: ready, session } = useHub();
  const store = useRef(
    new Map<string, { view: DeploymentView; hosts: Map<string, HostProgress> }>(),
  );
  const [, setTick] = useState(0);
  const key = requestIds.join(',');

  // biome-ignore lint/correctness/useExhaustiveDependencies: key stands for requestIds; session marks a new login
  useEffect(() => {
    if (!socket || !ready || key === '') return;
    const ids = new Set(key.split(','));
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const flush = () => {
      timer = undefined;
      setTick((n) => n + 1);
    };
    const onUpdate = (u: DeploymentUpdate) => {
      const d = store.current.get(u.requestId);
      if (!ids.has(u.requestId) || !d) return;
      d.hosts.set(u.host.host, mergeHost(d.hosts.get(u.host.host), u.host));
      timer ??= setTimeout(flush, 100);
    };
    socket.on('deploy:update', onUpdate);
    for (const requestId of ids) {
      void call(socket, 'deploy:watch', { requestId }).then((ack) => {
        if (cancelled || !ack.ok) return;
        const had = store.current.get(requestId)?.hosts ?? new Map<string, HostProgress>();
        const hosts = new Map(ack.data.hosts.map((h) => [h.host, mergeHost(had.get(h.host), h)]));
        store.current.set(requestId, { view: ack.data, hosts });
        flush();
      });
    }
    return () => {
      cancelled = true;
      clearTimeout(timer);
      socket.off('deploy:update', onUpdate);
    };
  }, [socket, ready, session, key]);
  return store.current;
}
