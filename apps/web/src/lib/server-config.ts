/**
 * The dashboard's runtime configuration, read once per request on the server (the
 * only place that reads process.env). Read at runtime, not inlined at build time,
 * so one build serves any hub.
 */
export interface DashboardConfig {
  /** the hub the UI connects to unless the user picked another one */
  defaultHub: string;
  /** origins the Content-Security-Policy lets the page connect to (http and ws forms) */
  hubOrigins: string[];
}

const env = (name: string): string | undefined => {
  const value = process.env[name];
  return value && value.trim() !== '' ? value.trim() : undefined;
};

function originOf(url: string): string | undefined {
  try {
    const u = new URL(url);
    if (!['http:', 'https:', 'ws:', 'wss:'].includes(u.protocol)) return undefined;
    return u.origin;
  } catch {
    return undefined;
  }
}

export function dashboardConfig(): DashboardConfig {
  const defaultHub =
    originOf(env('SERFBORT_HUB') ?? env('NEXT_PUBLIC_SERFBORT_HUB') ?? '') ??
    'http://127.0.0.1:7700';
  const extra = (env('SERFBORT_HUB_ORIGINS') ?? '')
    .split(',')
    .map((s) => originOf(s.trim()))
    .filter((o): o is string => o !== undefined);
  return { defaultHub, hubOrigins: [...new Set([defaultHub, ...extra])] };
}

/** Each hub origin in its HTTP and WebSocket spelling, for connect-src. */
export function connectSources(origins: readonly string[]): string[] {
  return origins.flatMap((o) => {
    const u = new URL(o);
    const secure = u.protocol === 'https:' || u.protocol === 'wss:';
    return [`${secure ? 'https' : 'http'}://${u.host}`, `${secure ? 'wss' : 'ws'}://${u.host}`];
  });
}
