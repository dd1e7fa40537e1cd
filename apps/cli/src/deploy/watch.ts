import type { DeploymentUpdate, DeploymentView, HostProgress } from '@serfbort/core';
import type { HubSession } from '../hub/session.js';
import { isFinal } from './outcome.js';

export interface WatchOptions {
  /**
   * hosts whose final answer we wait for: the ones online at submission, plus (added here)
   * any host whose request was delivered. Mutable, so the caller sees the additions.
   */
  waitFor: Set<string>;
  /** ms during which an undelivered host may still turn out to be online (presence can lag) */
  graceMs: number;
  timeoutMs: number;
  /** called whenever a host's state changes */
  onChange: (progress: HostProgress) => void;
}

export interface WatchResult {
  hosts: Map<string, HostProgress>;
  /** why watching stopped early, if it did */
  stopped?: 'timeout' | 'hub-lost';
}

/**
 * Follows one deployment until every awaited host has a final state, the time is up, or the
 * hub is lost for good (a restart is ridden out: see HubSession). Updates are subscribed before `deploy:watch`, so none falls between.
 */
export function watchDeployment(
  hub: HubSession,
  requestId: string,
  options: WatchOptions,
): Promise<WatchResult> {
  const hosts = new Map<string, HostProgress>();
  return new Promise((resolve) => {
    let finished = false;
    const finish = (stopped?: WatchResult['stopped']) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      clearTimeout(graceTimer);
      hub.off('deploy:update', onUpdate);
      hub.events.off('reconnected', onReconnected);
      hub.events.off('lost', onLost);
      resolve(stopped ? { hosts, stopped } : { hosts });
    };
    const started = Date.now();
    const done = () => {
      const awaited = [...options.waitFor].every((h) => {
        const p = hosts.get(h);
        return p !== undefined && isFinal(p.state);
      });
      // within the grace period an undelivered host may still take the request
      const undelivered = [...hosts.values()].some((p) => p.state === 'pending');
      return awaited && (!undelivered || Date.now() - started >= options.graceMs);
    };
    const apply = (p: HostProgress) => {
      const before = hosts.get(p.host);
      // never let an older or earlier-stage update overwrite a final answer
      if (before && isFinal(before.state) && !isFinal(p.state)) return;
      if (before && before.updatedAt > p.updatedAt) return;
      if (p.state !== 'pending') options.waitFor.add(p.host);
      hosts.set(p.host, before?.receipt && !p.receipt ? { ...p, receipt: before.receipt } : p);
      if (!before || before.state !== p.state) options.onChange(p);
    };
    const onUpdate = (u: DeploymentUpdate) => {
      if (u.requestId !== requestId) return;
      apply(u.host);
      if (done()) finish();
    };
    // the session gets back to a restarted hub by itself; what happened meanwhile is in
    // the stored deployment, so look at it again
    const look = () =>
      hub.watch(requestId).then(
        (view: DeploymentView) => {
          for (const p of view.hosts) apply(p);
          if (done()) finish();
        },
        () => finish('hub-lost'),
      );
    const onReconnected = () => void look();
    const onLost = () => finish('hub-lost');
    const timer = setTimeout(() => finish('timeout'), options.timeoutMs);
    const graceTimer = setTimeout(() => {
      if (done()) finish();
    }, options.graceMs);
    hub.on('deploy:update', onUpdate);
    hub.events.on('reconnected', onReconnected);
    hub.events.on('lost', onLost);
    void look();
  });
}

/** Final states whose receipt did not come with the update: one more look at the stored view. */
export async function fillReceipts(
  hub: HubSession,
  requestId: string,
  hosts: Map<string, HostProgress>,
): Promise<void> {
  const missing = [...hosts.values()].some(
    (p) => isFinal(p.state) && p.state !== 'expired' && !p.receipt,
  );
  if (!missing || !hub.socket.connected) return;
  try {
    const view = await hub.watch(requestId);
    for (const p of view.hosts) {
      const known = hosts.get(p.host);
      if (p.receipt && !known?.receipt) hosts.set(p.host, p);
    }
  } catch {
    // the outcome will say UNVERIFIED for those hosts, which is the truth we have
  }
}
