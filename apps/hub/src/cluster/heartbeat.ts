import type { HubContext } from '../hub-context.js';
import { beat, reapDeadNodes, reclaimHosts } from './nodes.js';
import { sweepPending } from './sweep.js';

/**
 * Every beat: this node's row is renewed, nodes whose beat expired are reaped (their
 * hosts become lost), and pending requests for hosts here are delivered (see sweep).
 */
export function startHeartbeat(ctx: HubContext): { tick(): Promise<void>; stop(): void } {
  const self = ctx.config.nodeName;
  let running: Promise<void> | undefined;
  const tick = () => {
    running ??= (async () => {
      try {
        const now = ctx.now();
        const known = await beat(ctx.db, self, now, ctx.config.heartbeatMs);
        if (!known) await reclaimHosts(ctx.db, self, ctx.sessions.connections(), now);
        const lost = await reapDeadNodes(ctx.db, self, now);
        if (lost.length > 0)
          ctx.log.warn({ hosts: lost.length }, 'hosts of a dead hub marked lost');
        for (const host of lost) ctx.hostChanges.publish(host);
        const swept = await sweepPending(ctx);
        if (swept > 0)
          ctx.log.info({ hosts: swept }, 'pending requests delivered from the database');
      } catch (err) {
        ctx.log.error(
          { err: err instanceof Error ? err.message : String(err) },
          'heartbeat failed',
        );
      } finally {
        running = undefined;
      }
    })();
    return running;
  };
  const timer = setInterval(() => ctx.track(tick()), ctx.config.heartbeatMs);
  timer.unref();
  return {
    tick,
    stop: () => clearInterval(timer),
  };
}
