import { sleep } from '../common/wait.js';

export interface LagProbe {
  /** stops probing; the slowest /healthz answer seen, ms (a busy event loop answers late) */
  stop(): Promise<number>;
}

/**
 * Asks the hub's /healthz once a second. The answer needs the hub's event loop, so
 * its latency shows how long the loop was blocked (and why sockets time out).
 */
export function probeLag(url: string): LagProbe {
  let running = true;
  let worst = 0;
  const loop = (async () => {
    while (running) {
      const t = performance.now();
      try {
        await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(60_000) });
      } catch {
        // a timeout counts as its full length
      }
      worst = Math.max(worst, performance.now() - t);
      await sleep(1000);
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return worst;
    },
  };
}
