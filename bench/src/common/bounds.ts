/**
 * Every time bound of the harness in one place, in ms. Most grow with N, because
 * the hub's cost per agent does; each is a ceiling that turns a stuck run into a
 * clear failure, never a target.
 */
export const BOUNDS = {
  hubReadyMs: 120_000,
  /** graceful hub close: it records every agent as lost before it exits */
  hubStopGraceMs: (n: number) => 30_000 + n * 5,
  approvalsMs: (n: number) => 60_000 + n * 50,
  /** the whole connect+authenticate ramp, and one agent's first approval within it */
  rampMs: (n: number) => 120_000 + n * 60,
  /** one deploy: submit → every receipt */
  deployMs: (n: number) => 60_000 + n * 30,
  /** restart → every agent back */
  stormMs: (n: number) => 120_000 + n * 60,
  metricsFetchMs: 15_000,
  /** unmeasured deploys that fill the database for the idle-RSS-after-receipts figure */
  seedDeploys: 50,
  seedMs: 300_000,
} as const;
