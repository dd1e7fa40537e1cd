import { describe, expect, it } from 'vitest';
import { ADMISSION_CODES, CODE_GROUPS, ERROR_CODES, RECEIPT_REASONS, RUN_CODES } from './codes.js';
import { receipt } from './schemas/deploy.js';

/** Every reason today's agent signs into a receipt (apps/agent/src/deploy: execute, deployer, recover). */
const AGENT_RUN_REASONS = [
  'SPAWN_FAILED',
  'EXIT_NONZERO',
  'TIMEOUT',
  'HEALTH_CHECK_FAILED',
  'EXPECT_MISMATCH',
  'VERSION_UNKNOWN',
  'AGENT_SHUTDOWN',
  'AGENT_RESTARTED',
  'DISK_FULL',
  'STATE_UNWRITABLE',
  // releases (apps/agent/src/releases, through execute)
  'ARTIFACT_MISMATCH',
  'ARTIFACT_UNAVAILABLE',
  'ARTIFACT_UNSAFE',
  'HOOK_FAILED',
  'ARTIFACT_UNSUPPORTED',
  'ARTIFACT_REQUIRED',
];

const signedReceipt = (reason: string) => ({
  type: 'receipt',
  requestId: 'req-00000001',
  requestDigest: 'a'.repeat(64),
  host: 'web-1',
  app: 'shop',
  version: 'v1',
  status: 'failed',
  reason,
  exitCode: null,
  versionBefore: null,
  versionAfter: null,
  startedAt: 1,
  finishedAt: 2,
});

describe('the code union', () => {
  it.each(Object.entries(CODE_GROUPS))('has no duplicate inside the %s group', (_, codes) => {
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('has no code in two groups', () => {
    expect(new Set(ERROR_CODES).size).toBe(ERROR_CODES.length);
  });

  it('names codes in one style', () => {
    for (const code of ERROR_CODES) expect(code).toMatch(/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/);
  });
});

describe('a receipt reason', () => {
  it('covers every admission refusal and every run outcome the agent signs', () => {
    for (const code of [...ADMISSION_CODES, ...AGENT_RUN_REASONS])
      expect(RECEIPT_REASONS).toContain(code);
    expect([...RUN_CODES].sort()).toEqual([...AGENT_RUN_REASONS].sort());
  });

  it.each(RECEIPT_REASONS)('accepts %s in a receipt', (reason) => {
    expect(receipt.safeParse(signedReceipt(reason)).success).toBe(true);
  });

  it('refuses free text, and codes a receipt never carries', () => {
    expect(receipt.safeParse(signedReceipt('it broke')).success).toBe(false);
    expect(receipt.safeParse(signedReceipt('RATE_LIMITED')).success).toBe(false);
  });
});
