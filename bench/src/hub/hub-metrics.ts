import { BOUNDS } from '../common/bounds.js';

/** Reads the hub's Prometheus text: prom-client's default process and heap metrics. */
export async function hubMetrics(url: string): Promise<Map<string, number>> {
  const values = new Map<string, number>();
  try {
    const res = await fetch(`${url}/metrics`, {
      signal: AbortSignal.timeout(BOUNDS.metricsFetchMs),
    });
    if (!res.ok) return values;
    for (const line of (await res.text()).split('\n')) {
      if (line.startsWith('#') || !line.trim()) continue;
      const space = line.lastIndexOf(' ');
      values.set(line.slice(0, space), Number(line.slice(space + 1)));
    }
  } catch {
    // metrics are a bonus: the figures from /proc stand on their own
  }
  return values;
}

/** V8 heap in use, bytes (the metric name carries the hub's prefix). */
export function heapUsed(metrics: Map<string, number>): number {
  for (const [name, value] of metrics)
    if (name.endsWith('nodejs_heap_size_used_bytes')) return value;
  return Number.NaN;
}
