import type { HubContext } from '../hub-context.js';
import type { PeriodicTask } from '../periodic-task.js';
import { startPeriodic } from '../periodic-task.js';
import { detectEvents } from './detect.js';
import { dispatchDue } from './dispatch.js';
import { backlog } from './views.js';

/** Facts of the last few minutes before a start are still news: a restart must not swallow them. */
const RESTART_GRACE_MS = 10 * 60_000;

/**
 * One look for events and one round of posts per tick. With storage away the next tick
 * tries again: nothing is lost, events are found from the tables.
 */
export type WebhookLoop = PeriodicTask<void>;

/** Runs while the hub does: finds events, posts them, retries failures. Inert without endpoints. */
export function startWebhooks(ctx: HubContext, startedAt: number): WebhookLoop | undefined {
  const config = ctx.config.webhooks;
  if (!config) return undefined;
  const since = startedAt - RESTART_GRACE_MS;
  return startPeriodic(ctx, 'webhooks: tick', config.pollMs, undefined, async (state) => {
    await ctx.writes.run((w) =>
      detectEvents(w, { config, trust: ctx.trust.current(), since, now: ctx.now() }),
    );
    // a round may leave more due than one claim holds: keep going while posts are due
    for (let round = 0; round < 5 && !state.stopped; round++) {
      const sent = await dispatchDue({
        writes: ctx.writes,
        config,
        hubId: ctx.hubId,
        now: ctx.now,
        onResult: (endpoint, result) => ctx.metrics.webhookDeliveries.inc({ endpoint, result }),
      });
      if (sent === 0) break;
    }
    ctx.metrics.webhookBacklog.set(await backlog(ctx.db));
  });
}
