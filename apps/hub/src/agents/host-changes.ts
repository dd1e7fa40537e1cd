import type { HubContext } from '../hub-context.js';
import { HUB_LIMITS } from '../hub-limits.js';
import { loadHostViews } from './host-views.js';

/** Operators who subscribed to the live fleet. */
export const HOSTS_ROOM = 'hosts';

const pendingByCtx = new WeakMap<HubContext, Set<string>>();

/** Tells fleet subscribers a host changed; bursts are coalesced and read once. */
export function publishHostChange(ctx: HubContext, host: string): void {
  let pending = pendingByCtx.get(ctx);
  if (!pending) {
    pending = new Set();
    pendingByCtx.set(ctx, pending);
  }
  if (pending.has(host)) return;
  pending.add(host);
  const timer = setTimeout(() => {
    pending.delete(host);
    // subscribers on other hubs are not known here: with several hubs, always tell
    if (!ctx.cluster.enabled && ctx.operators.adapter.rooms.get(HOSTS_ROOM)?.size === undefined)
      return;
    ctx.track(
      loadHostViews(ctx.db, ctx.sessions, { names: [host] }, ctx.now())
        .then(([view]) => {
          if (view) ctx.operators.to(HOSTS_ROOM).emit('hosts:changed', view);
        })
        .catch(() => undefined),
    );
  }, HUB_LIMITS.hostChangeCoalesceMs);
  timer.unref();
}
