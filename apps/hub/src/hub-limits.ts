/** The hub's own bounds in one place (protocol bounds live in core's LIMITS); each with its unit. */
export const HUB_LIMITS = {
  /** ms to let in-flight work finish at shutdown, per phase */
  drainMs: 5_000,
  /** ms to coalesce bursts of changes to one host into one hosts:changed event */
  hostChangeCoalesceMs: 50,
  /** request digests cached for the receipt hot path */
  digestCacheEntries: 10_000,
  /** newest output lines kept per host and deployment */
  outputTailLines: 200,
  /** ms a check waits for answers unless the operator asks otherwise, and at most */
  checkTimeoutMs: 5_000,
  checkMaxTimeoutMs: 60_000,
  /** audit rows read per query while verifying the chain */
  auditPageRows: 2_000,
  /** write jobs committed together in one transaction */
  writeBatchJobs: 256,
  /** ms a batch of write jobs may take before it commits and lets sockets be read */
  writeBatchMs: 25,
  /** rows written by one batched statement (one jsonb parameter) */
  rowsPerStatement: 1_000,
  /** ms between looks for proposals whose request expired (reads say `expired` before that anyway) */
  proposalExpiryMs: 5_000,
} as const;
