import { hubMetrics } from './hub-metrics.js';

export interface LagFigures {
  /** the hub's own event-loop delay over the window, ms (prom-client's monitorEventLoopDelay) */
  p99Ms: number;
  maxMs: number;
  /** kept in the JSON, to tell a long stall from a generally slow loop */
  p50Ms: number;
  p90Ms: number;
  meanMs: number;
}

const metric = (metrics: Map<string, number>, suffix: string): number => {
  for (const [name, value] of metrics) if (name.endsWith(suffix)) return value * 1000;
  return Number.NaN;
};

/**
 * prom-client resets its event-loop delay histogram at every scrape of /metrics,
 * so a scrape before and one after a phase give that phase's p99 and worst lag
 * (`nodejs_eventloop_lag_p99_seconds` / `_max_seconds`). Nothing else
 * scrapes the bench's hubs, so no window is cut short by another reader.
 */
export async function openLagWindow(url: string): Promise<{ close(): Promise<LagFigures> }> {
  await hubMetrics(url);
  return {
    close: async () => {
      const metrics = await hubMetrics(url);
      return {
        p99Ms: metric(metrics, 'nodejs_eventloop_lag_p99_seconds'),
        maxMs: metric(metrics, 'nodejs_eventloop_lag_max_seconds'),
        p50Ms: metric(metrics, 'nodejs_eventloop_lag_p50_seconds'),
        p90Ms: metric(metrics, 'nodejs_eventloop_lag_p90_seconds'),
        meanMs: metric(metrics, 'nodejs_eventloop_lag_mean_seconds'),
      };
    },
  };
}
