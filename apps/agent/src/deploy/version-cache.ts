import type { PresenceReport } from '@serfbort/core';
import type { AgentConfig, AppConfig } from '../config/load.js';
import type { VersionReport } from '../runner/version-report.js';
import { reportVersion } from '../runner/version-report.js';

/** Each app's current version, from its version-report command; refreshed after deploys and on a timer. */
export class VersionCache {
  private readonly reports = new Map<string, VersionReport>();

  constructor(private readonly config: AgentConfig) {}

  async refresh(app: AppConfig): Promise<VersionReport> {
    const report = await reportVersion({
      argv: app.version,
      cwd: app.cwd,
      env: { ...this.config.childEnv, ...app.env },
      timeoutMs: app.versionTimeoutMs,
    });
    this.reports.set(app.name, report);
    return report;
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
