'use client';
import type { DeploymentView, HostProgress, OutputLine } from '@serfbort/core';
import { useEffect, useRef, useState } from 'react';
import { call } from '@/lib/hub/call';
import { useHub } from '@/lib/hub/hub-context';

/** Lines kept per host in the browser; older ones scroll away. */
const MAX_LINES = 2000;

export interface LiveDeployment {
  view: DeploymentView | null;
  hosts: HostProgress[];
  output: ReadonlyMap<string, OutputLine[]>;
  error: { code: string; message: string } | null;
}

/** `deploy:watch` once, then `deploy:update` pushes; re-watched after every reconnect. */
export function useDeployment(requestId: string): LiveDeployment {
  const { socket, canRead: ready, session } = useHub();
  const [view, setView] = useState<DeploymentView | null>(null);
  const [hosts, setHosts] = useState<HostProgress[]>([]);
  const [error, setError] = useState<{ code: string; message: string } | null>(null);
  const output = useRef(new Map<string, OutputLine[]>());
  const [, setTick] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: session marks a new login
  useEffect(() => {
    if (!socket || !ready) return;
    let cancelled = false;
    const byHost = new Map<string, HostProgress>();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const flush = () => {
      timer = undefined;
      setHosts([...byHost.values()]);
      setTick((n) => n + 1);
    };
    const onUpdate = (u: { requestId: string; host: HostProgress; lines?: OutputLine[] }) => {
      if (u.requestId !== requestId) return;
      byHost.set(u.host.host, { ...byHost.get(u.host.host), ...u.host });
      if (u.lines?.length) {
        // a new array per update, so views that memoize on it see the change
        const lines = [...(output.current.get(u.host.host) ?? []), ...u.lines];
        output.current.set(u.host.host, lines.length > MAX_LINES ? lines.slice(-MAX_LINES) : lines);
      }
      timer ??= setTimeout(flush, 100);
    };
    socket.on('deploy:update', onUpdate);
    void call(socket, 'deploy:watch', { requestId }).then((ack) => {
      if (cancelled) return;
      if (!ack.ok) {
        setError(ack.error);
        return;
      }
      setError(null);
      setView(ack.data);
      for (const h of ack.data.hosts) {
        byHost.set(h.host, { ...h, ...byHost.get(h.host) });
        if (h.output?.length && !output.current.get(h.host)?.length)
          output.current.set(h.host, [...h.output]);
      }
      flush();
    });
    return () => {
      cancelled = true;
      clearTimeout(timer);
      socket.off('deploy:update', onUpdate);
      if (socket.connected) void call(socket, 'deploy:unwatch', { requestId });
    };
  }, [socket, ready, session, requestId]);

  return { view, hosts, output: output.current, error };
}
