import type { HubContext } from './hub-context.js';

export interface PeriodicTask<T> {
  /** one run now (tests call it; the timer does otherwise), joined if one is in flight */
  tick(): Promise<T>;
  /** no new run; waits for the one in flight */
  stop(): Promise<void>;
}

/**
 * A job the hub runs every `everyMs` while it runs, one run at a time: a slow run is joined,
 * never doubled. A run that throws (storage away, say) is logged as `what failed` and
 * answers `fallback`; the next one tries again. `once` sees `state.stopped` to cut a long
 * run short when the hub stops.
 */
export function startPeriodic<T>(
  ctx: Pick<HubContext, 'track' | 'log'>,
  what: string,
  everyMs: number,
  fallback: T,
  once: (state: { readonly stopped: boolean }) => Promise<T>,
): PeriodicTask<T> {
  const state = { stopped: false };
  let running: Promise<T> | undefined;
  const guarded = async (): Promise<T> => {
    try {
      return await once(state);
    } catch (err) {
      ctx.log.warn({ err: err instanceof Error ? err.message : String(err) }, `${what} failed`);
      return fallback;
    }
  };
  const tick = () => {
    running ??= guarded().finally(() => {
      running = undefined;
    });
    return running;
  };
  const timer = setInterval(() => {
    if (!state.stopped) ctx.track(tick());
  }, everyMs);
  timer.unref();
  return {
    tick,
    async stop() {
      state.stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
