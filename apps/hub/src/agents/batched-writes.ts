import { TickBatcher } from '../db/write-queue.js';
import type { HubContext } from '../hub-context.js';
import type { AdmittedAgent, KnownHello, PresenceChange } from './registry.js';
import { recordKnownHellos, recordPresences } from './registry.js';

interface Batchers {
  presence: TickBatcher<PresenceChange, undefined>;
  hellos: TickBatcher<KnownHello, AdmittedAgent | null>;
}

const byCtx = new WeakMap<HubContext, Batchers>();

/**
 * A fleet reconnecting after a restart, or dropped by a network blip, says hello or
 * disconnects thousands of times in a few seconds: those of one tick share a statement.
 */
function batchers(ctx: HubContext): Batchers {
  let b = byCtx.get(ctx);
  if (!b) {
    b = {
      presence: new TickBatcher(ctx.writes, recordPresences),
      hellos: new TickBatcher(ctx.writes, recordKnownHellos),
    };
    byCtx.set(ctx, b);
  }
  return b;
}

export const recordPresence = (ctx: HubContext, change: PresenceChange): Promise<undefined> =>
  batchers(ctx).presence.add(change);

/** The approved agent when the hello's host and key are already bound; null otherwise. */
export const recordKnownHello = (
  ctx: HubContext,
  hello: KnownHello,
): Promise<AdmittedAgent | null> => batchers(ctx).hellos.add(hello);
