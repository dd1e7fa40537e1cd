import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** A phase of the run in wall-clock ms, mapped onto the profile through the hub's exit time. */
export interface ProfileWindow {
  fromEpochMs: number;
  toEpochMs: number;
  /** when the profiled process exited (its profile ends there) */
  exitEpochMs: number;
}

export interface HotSpot {
  where: string;
  selfMs: number;
  share: number;
}

/** Which npm package (or our workspace) a script URL belongs to. */
function owner(url: string): string {
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (url.includes('serfbort-hub.mjs')) return 'serfbort-hub (bundle)';
  if (url.startsWith('node:') || !url) return url ? 'node internals' : '(native/gc/idle)';
  return url.split('/').pop() ?? url;
}

/** Self time per function and per package, from a V8 .cpuprofile (`node --cpu-prof`). */
export function summarizeProfile(path: string, top = 20, window?: ProfileWindow) {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  // sample times are V8 monotonic µs; the profile's end is the process exit
  const from = window ? profile.endTime - (window.exitEpochMs - window.fromEpochMs) * 1000 : 0;
  const to = window
    ? profile.endTime - (window.exitEpochMs - window.toEpochMs) * 1000
    : Number.POSITIVE_INFINITY;
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    const delta = profile.timeDeltas[i] ?? 0;
    t += delta;
    if (t < from || t > to) continue;
    const id = profile.samples[i]!;
    self.set(id, (self.get(id) ?? 0) + delta);
  }
  const fn = new Map<string, number>();
  const pkg = new Map<string, number>();
  let total = 0;
  for (const [id, us] of self) {
    const node = byId.get(id)!;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') continue;
    total += us;
    const key = `${functionName || '(anonymous)'} ${owner(url)}:${lineNumber + 1}`;
    fn.set(key, (fn.get(key) ?? 0) + us);
    const p = functionName.startsWith('(') ? functionName : owner(url);
    pkg.set(p, (pkg.get(p) ?? 0) + us);
  }
  const rank = (m: Map<string, number>): HotSpot[] =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([where, us]) => ({ where, selfMs: us / 1000, share: us / total }));
  return { totalMs: total / 1000, functions: rank(fn), packages: rank(pkg) };
}

export function profilesIn(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => join(dir, f));
}
