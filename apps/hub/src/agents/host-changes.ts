import type { HubBase } from '../hub-context.js';
import { HUB_LIMITS } from '../hub-limits.js';
import type { HostChanges } from '../hub-services.js';
import { loadHostViews } from './host-views.js';

/** Operators who subscribed to the live fleet. */
export const HOSTS_ROOM = 'hosts';

type Needs = Pick<
  HubBase,
  'cluster' | 'operators' | 'db' | 'sessions' | 'hostProblems' | 'trustReports' | 'now' | 'track'
>;

/** Tells fleet subscribers a host changed; bursts are coalesced and read once. */
export class HostChangeFeed implements HostChanges {
  private readonly pending = new Map<string, NodeJS.Timeout>();

  constructor(private readonly ctx: Needs) {}

  publish(host: string): void {
    if (this.pending.has(host)) return;
    const timer = setTimeout(() => {
      this.pending.delete(host);
      this.announce(host);
    }, HUB_LIMITS.hostChangeCoalesceMs);
    timer.unref();
    this.pending.set(host, timer);
  }

  close(): void {
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
  }

  private announce(host: string): void {
    const { ctx } = this;
    // subscribers on other hubs are not known here: with several hubs, always tell
    if (!ctx.cluster.enabled && ctx.operators.adapter.rooms.get(HOSTS_ROOM)?.size === undefined)
      return;
    ctx.track(
      loadHostViews(ctx.db, ctx, { names: [host] }, ctx.now())
        .then(([view]) => {
          if (view) ctx.operators.to(HOSTS_ROOM).emit('hosts:changed', view);
        })
        .catch(() => undefined),
    );
  }
}
