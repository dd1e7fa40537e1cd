import { FINAL_HOST_STATES, type HostView } from '@serfbort/core';

export interface AppStatus {
  app: string;
  version: string | null;
  /** the version the last deploy to this host asked for */
  wanted: string | null;
  drift: null | 'failed' | 'differs' | 'in-progress';
  detail: string;
}

/**
 * Per app: is the host on what its last deploy made it? Drifted when the last deploy
 * did not succeed, or the version the host reports now is not the one that deploy left.
 */
export function appStatuses(host: HostView): AppStatus[] {
  // only apps the host reports as configured: a deploy of an app it does not have was
  // refused (APP_NOT_CONFIGURED) and says nothing about drift
  return Object.keys(host.apps)
    .sort()
    .map((app) => {
      const current = host.apps[app]?.version ?? null;
      const last = host.lastDeploys[app];
      if (!last)
        return {
          app,
          version: current,
          wanted: null,
          drift: null,
          detail: 'never deployed by serfbort',
        };
      if (!FINAL_HOST_STATES.includes(last.state))
        return {
          app,
          version: current,
          wanted: last.version,
          drift: 'in-progress',
          detail: `deploy of ${last.version} is ${last.state}`,
        };
      if (last.state !== 'succeeded')
        return {
          app,
          version: current,
          wanted: last.version,
          drift: 'failed',
          detail: `last deploy (${last.version}) ${last.state}`,
        };
      if (last.versionAfter !== null && current !== last.versionAfter)
        return {
          app,
          version: current,
          wanted: last.version,
          drift: 'differs',
          detail: `reports ${current ?? 'nothing'}, last deploy left ${last.versionAfter}`,
        };
      return {
        app,
        version: current,
        wanted: last.version,
        drift: null,
        detail: `on ${last.version} as deployed`,
      };
    });
}

export function isDrifted(host: HostView): boolean {
  return appStatuses(host).some((s) => s.drift === 'failed' || s.drift === 'differs');
}
