import type { HostProgress, HostState, Receipt } from '@serfbort/core';
import { PAYLOAD_TYPES, signerFor, signPayload } from '@serfbort/core';
import { describe, expect, it } from 'vitest';
import { key, NOW, verifier } from '../testing/fixtures.js';
import { judgeHost } from './judge-host.js';

const agent = key(40);
const digest = 'd'.repeat(64);
const expectation = {
  requestId: 'request-0001',
  requestDigest: digest,
  agentKeys: new Map([['web-1', agent.publicKey]]),
  verifier,
};
const receipt: Receipt = {
  type: 'receipt',
  requestId: 'request-0001',
  requestDigest: digest,
  host: 'web-1',
  app: 'web',
  version: 'v2',
  status: 'succeeded',
  exitCode: 0,
  versionBefore: 'v1',
  versionAfter: 'v2',
  startedAt: NOW,
  finishedAt: NOW,
};
const signed = (r: Receipt, by = agent) => signPayload(PAYLOAD_TYPES.receipt, r, [signerFor(by)]);
const at = (state: HostState, r?: ReturnType<typeof signed>): HostProgress => ({
  host: 'web-1',
  state,
  updatedAt: NOW,
  ...(r ? { receipt: r } : {}),
});

describe('judgeHost', () => {
  it('believes a receipt signed by the host for this request', () => {
    expect(judgeHost('web-1', at('succeeded', signed(receipt)), expectation)).toEqual({
      kind: 'verified',
      receipt,
    });
  });

  it('waits for hosts with no final state, whatever the hub relays', () => {
    expect(judgeHost('web-1', undefined, expectation)).toEqual({ kind: 'waiting' });
    expect(judgeHost('web-1', at('running', signed(receipt)), expectation)).toEqual({
      kind: 'waiting',
    });
  });

  it('knows an expired request ran nowhere', () => {
    expect(judgeHost('web-1', at('expired'), expectation)).toEqual({ kind: 'expired' });
  });

  it('does not believe a final state without a receipt', () => {
    expect(judgeHost('web-1', at('succeeded'), expectation)).toEqual({ kind: 'no-receipt' });
  });

  it.each([
    ['a key that is not the host’s', signed(receipt, key(41))],
    ['an answer to another request', signed({ ...receipt, requestId: 'request-0002' })],
    ['an answer to other bytes', signed({ ...receipt, requestDigest: 'e'.repeat(64) })],
    ['another host’s answer', signed({ ...receipt, host: 'web-2' })],
  ])('refuses %s', (_, envelope) => {
    expect(judgeHost('web-1', at('succeeded', envelope), expectation).kind).toBe('unverified');
  });
});
