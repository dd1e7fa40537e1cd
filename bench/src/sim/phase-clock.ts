import { existsSync } from 'node:fs';
import { epochMs } from '../common/wait.js';
import { type HotSpot, profilesIn, summarizeProfile } from '../report/cpu-profile.js';

export interface PhaseProfile {
  /** hub CPU self time sampled in this phase, ms */
  totalMs: number;
  packages: HotSpot[];
  functions: HotSpot[];
}

/** Wall-clock windows of a run's phases, to cut the hub's one CPU profile into them. */
export class PhaseClock {
  private readonly windows = new Map<string, { from: number; to: number }>();
  private open: string | undefined;

  begin(name: string): void {
    this.end();
    this.open = name;
    this.windows.set(name, { from: epochMs(), to: Number.NaN });
  }

  end(): void {
    if (!this.open) return;
    const w = this.windows.get(this.open)!;
    w.to = epochMs();
    this.open = undefined;
  }

  profile(dir: string, exitEpochMs: number, names: string[]): Record<string, PhaseProfile> {
    const out: Record<string, PhaseProfile> = {};
    if (!existsSync(dir) || !Number.isFinite(exitEpochMs)) return out;
    const [file] = profilesIn(dir);
    if (!file) return out;
    for (const name of names) {
      const w = this.windows.get(name);
      if (!w || !Number.isFinite(w.to)) continue;
      const s = summarizeProfile(file, 15, { fromEpochMs: w.from, toEpochMs: w.to, exitEpochMs });
      out[name] = { totalMs: s.totalMs, packages: s.packages.slice(0, 10), functions: s.functions };
    }
    return out;
  }
}
