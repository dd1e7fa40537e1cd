import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromBase64, sha256Hex } from '@serfbort/core';
import { generateKeyPair, nodeSigner } from '@serfbort/node';
import { describe, expect, it } from 'vitest';
import { signReceipt } from '../deploy/receipt.js';
import { ReceiptChain } from './receipt-chain.js';
import { STATE_FILES, StateDir, StateError } from './state-dir.js';

const fresh = () => {
  const dir = new StateDir(join(mkdtempSync(join(tmpdir(), 'agent-chain-')), 'state'));
  dir.ensure();
  return dir;
};

const fields = (n: number) => ({
  requestId: `request-${String(n).padStart(4, '0')}`,
  requestDigest: 'd'.repeat(64),
  host: 'web-1',
  app: 'web',
  version: `v${n}`,
  status: 'succeeded' as const,
  exitCode: 0,
  versionBefore: null,
  versionAfter: `v${n}`,
  startedAt: 1,
  finishedAt: 2,
});

describe('the receipt chain', () => {
  it('numbers receipts from 1, links each to the one before, and goes on after a restart', () => {
    const dir = fresh();
    const signer = nodeSigner(generateKeyPair());
    const chain = new ReceiptChain(dir);
    chain.load();
    expect(chain.head).toEqual({ seq: 0, digest: null });
    const first = signReceipt(fields(1), signer, chain);
    expect(first.receipt).toMatchObject({ seq: 1, prev: null });
    const digest1 = sha256Hex(fromBase64(first.envelope.payload));
    const again = new ReceiptChain(dir);
    again.load();
    expect(again.head).toEqual({ seq: 1, digest: digest1 });
    const second = signReceipt(fields(2), signer, again);
    expect(second.receipt).toMatchObject({ seq: 2, prev: digest1 });
    expect(second.envelope.payloadType).toBe('application/vnd.serfbort.receipt.v2+json');
  });

  it('refuses a damaged head rather than restart the numbering (a fork)', () => {
    const dir = fresh();
    writeFileSync(dir.file(STATE_FILES.receiptChain), '{"seq":-1}');
    expect(() => new ReceiptChain(dir).load()).toThrow(StateError);
  });
});
