/**
 * The process groups of every child this agent started and that has not ended yet.
 * Children are process-wide (they outlive whichever object spawned them), so this is the one
 * place that knows them all: when the agent stops — SIGTERM, SIGINT or a fatal error — no
 * deploy, health check, version command or check it started may be left running.
 */
const live = new Set<number>();

export function trackGroup(pgid: number): void {
  live.add(pgid);
}

export function untrackGroup(pgid: number): void {
  live.delete(pgid);
}

export function liveGroups(): number[] {
  return [...live];
}

/** Signals every live group; synchronous, so it also works from an `exit` handler. */
export function signalAllGroups(signal: NodeJS.Signals): void {
  for (const pgid of live) {
    try {
      process.kill(-pgid, signal);
    } catch {
      // ESRCH: that group has ended already
    }
  }
}
