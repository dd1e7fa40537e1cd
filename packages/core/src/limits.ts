/** Every bound of the protocol in one place; each with its unit. */
export const LIMITS = {
  /** bytes of one serialized envelope on the wire */
  envelopeBytes: 64 * 1024,
  /** bytes of a signed payload after base64 decoding */
  payloadBytes: 48 * 1024,
  /** signatures carried by one envelope */
  signaturesPerEnvelope: 16,
  /** ms an issued-at may lie in the future of the verifier's clock */
  clockSkewMs: 5 * 60 * 1000,
  /** ms between issued-at and expires-at of a deploy request */
  maxRequestLifetimeMs: 7 * 24 * 60 * 60 * 1000,
  /** ms: a check request asks for an answer now, so it lives minutes, not days */
  maxCheckLifetimeMs: 5 * 60 * 1000,
  /** root versions one update may advance by (bounded loop, as in TUF) */
  rootRotationsPerUpdate: 32,
  /** keys listed in a root document */
  rootKeys: 16,
  /** operators listed in a keyring */
  keyringOperators: 512,
  /** characters of a version string */
  versionChars: 128,
  /** characters of a host name */
  hostNameChars: 253,
  /** labels on one host */
  labelsPerHost: 64,
  /** hosts named explicitly in one target */
  targetHosts: 10_000,
  /** characters of a selector expression */
  selectorChars: 1024,
  /** apps configured on one agent */
  appsPerAgent: 64,
  /** bytes of one streamed output line (longer lines are cut) */
  outputLineBytes: 2048,
  /** output lines an agent streams per deploy per second (the rest are counted, not sent) */
  outputLinesPerSecond: 50,
  /** bytes of free-text detail in a receipt */
  receiptDetailBytes: 4096,
  /** receipts an agent keeps waiting for acknowledgement */
  outboxReceipts: 10_000,
  /** request ids an agent remembers for replay protection (older ones are covered by rule 6 and expiry) */
  replayCacheEntries: 100_000,
  /** steps of one rollout */
  rolloutSteps: 10_000,
  /** ms a rollout may wait between two steps */
  rolloutWaitMs: 24 * 60 * 60 * 1000,
  /** ms a rollout lock lives without being renewed by its driver */
  rolloutLockTtlMs: 24 * 60 * 60 * 1000,
  /** receipts of one host served per history request (the newest ones) */
  historyReceipts: 1000,
  /** hosts whose newest receipt and signed heads one request asks for (`hosts:heads`) */
  headsPerRequest: 200,
  /** audit rows served per page */
  auditRowsPerPage: 1000,
  /** open proposals (requests waiting for co-signatures) one operator key may have at a time */
  openProposalsPerOperator: 100,
  /** proposals served per list request (the newest ones) */
  proposalsPerPage: 500,
} as const;
