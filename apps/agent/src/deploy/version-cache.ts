import type { PresenceReport } from '@serfbort/core';
import type { AgentConfig, AppConfig } from '../config/load.js';
import { layoutOf, readCurrent } from '../releases/layout.js';
import type { VersionReport } from '../runner/version-report.js';
import { reportVersion } from '../runner/version-report.js';

/** Each app's current version, from its version-report command; refreshed after deploys and on a timer. */
export class VersionCache {
  private readonly reports = new Map<string, VersionReport>();

  constructor(private readonly config: AgentConfig) {}

  async refresh(app: AppConfig): Promise<VersionReport> {
    const report = app.version
      ? await this.run(app, app.version)
      : // a release app without a version command runs what `current` points to
        releaseVersion(app);
    this.reports.set(app.name, report);
    return report;
  }

  /** The digest of the release `current` points to, for apps deployed as releases. */
  releaseDigest(app: AppConfig): string | undefined {
    return app.release ? readCurrent(layoutOf(app.release.dir))?.meta.sha256 : undefined;
  }

  private run(app: AppConfig, argv: string[]): Promise<VersionReport> {
    return reportVersion({
      argv,
      cwd: app.cwd,
      env: { ...this.config.childEnv, ...app.env },
      timeoutMs: app.versionTimeoutMs,
    });
  }

  async refreshAll(): Promise<void> {
    await Promise.all(Object.values(this.config.apps).map((a) => this.refresh(a)));
  }

  get(app: string): VersionReport | undefined {
    return this.reports.get(app);
  }

  presence(running: string[]): PresenceReport {
    const apps: PresenceReport['apps'] = {};
    for (const [name, r] of this.reports)
      apps[name] = { version: r.version, at: r.at, ...(r.error ? { error: r.error } : {}) };
    return { apps, running };
  }
}

function releaseVersion(app: AppConfig): VersionReport {
  const current = app.release ? readCurrent(layoutOf(app.release.dir)) : undefined;
  return current
    ? { version: current.meta.version, at: Date.now() }
    : { version: null, at: Date.now(), error: 'no current release' };
}
