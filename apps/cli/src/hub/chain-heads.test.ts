import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Envelope, HostHistory } from '@serfbort/core';
import {
  currentPayloadType,
  fromBase64,
  RECEIPT_V2_TYPE,
  SPEAKS_THIS_BUILD,
  sha256Hex,
  signPayload,
  toBase64,
} from '@serfbort/core';
import { generateKeyPair, nodeSigner } from '@serfbort/node';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliConfig } from '../config/config.js';
import { hiddenReceipts, PER_HOST_MAX } from './chain-heads.js';
import { ReceiptHeads } from './receipt-heads.js';
import type { HubSession } from './session.js';

/*
 * `list` and `check` compare every host's newest receipt with the head its agent signed.
 * They used to compare only the first 500 hosts, one request each: a hub could hide a
 * receipt of any host after those. Now every host is compared, 200 to a request.
 */
const NOW = 1_800_000_000_000;
const agent = generateKeyPair();
const HOSTS = Array.from({ length: 600 }, (_, i) => `h-${String(i).padStart(3, '0')}`);
const agentKeys = new Map(HOSTS.map((h) => [h, agent.publicKey]));
const dir = mkdtempSync(join(tmpdir(), 'serfbort-chain-heads-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** each host's one receipt, and its hello stating that receipt as its newest */
function honest(host: string): HostHistory {
  const receipt = signPayload(
    RECEIPT_V2_TYPE,
    {
      type: 'receipt',
      requestId: `request-${host}`,
      requestDigest: 'd'.repeat(64),
      host,
      app: 'web',
      version: 'v1',
      status: 'succeeded',
      exitCode: 0,
      versionBefore: null,
      versionAfter: 'v1',
      startedAt: NOW,
      finishedAt: NOW,
      seq: 1,
      prev: null,
    },
    [nodeSigner(agent)],
  );
  const hello = signPayload(
    currentPayloadType('agentAuth'),
    {
      type: 'agent-auth',
      nonce: 'n'.repeat(22),
      hubId: 'hub-1',
      host,
      publicKey: toBase64(agent.publicKey),
      labels: {},
      apps: ['web'],
      agentVersion: '0.1.0',
      at: NOW,
      speaks: SPEAKS_THIS_BUILD,
      receipts: { seq: 1, digest: sha256Hex(fromBase64(receipt.payload)) },
    },
    [nodeSigner(agent)],
  );
  return { host, receipts: [receipt], hello, head: null };
}
const stored = new Map(HOSTS.map((h) => [h, honest(h)]));

/** A hub that hides the receipts of `hidden`; `batched: false` is a hub before `hosts:heads`. */
function lyingHub(hidden: readonly string[], batched: boolean) {
  const asked = { heads: [] as number[], history: 0 };
  const serve = (host: string): HostHistory => {
    const h = stored.get(host)!;
    return hidden.includes(host) ? { ...h, receipts: [] as Envelope[] } : h;
  };
  const hub = {
    async heads(hosts: readonly string[]) {
      if (!batched) return null;
      asked.heads.push(hosts.length);
      return hosts.map(serve);
    },
    async history(host: string) {
      asked.history++;
      return serve(host);
    },
  } as unknown as HubSession;
  return { hub, asked };
}

const memory = () => new ReceiptHeads({ configDir: dir } as CliConfig, 'hub-1', /* store */ false);
const judge = (hub: HubSession) =>
  hiddenReceipts(
    hub,
    HOSTS.map((name) => ({ name })),
    agentKeys,
    NOW,
    memory(),
  );

describe('hidden receipts across a fleet', () => {
  it('compares every host, 200 to a request: a receipt hidden on the 551st host is named', async () => {
    const { hub, asked } = lyingHub(['h-010', 'h-550'], true);
    const hidden = await judge(hub);
    expect(hidden.map((h) => h.host)).toEqual(['h-010', 'h-550']);
    expect(hidden[1]!.problems[0]).toContain('signed 1 as its newest');
    expect(asked).toEqual({ heads: [200, 200, 200], history: 0 });
  });

  it('flags nothing when the hub shows every receipt', async () => {
    const { hub } = lyingHub([], true);
    expect(await judge(hub)).toEqual([]);
  });

  it('names every host the hub leaves out of its answer, or answers for under another name', async () => {
    const { hub } = lyingHub([], true);
    const short = {
      ...hub,
      heads: async (hosts: readonly string[]) => hosts.slice(1).map((h) => stored.get(h)!),
    } as unknown as HubSession;
    const hidden = await judge(short);
    // every answer is now one host off
    expect(hidden.length).toBe(HOSTS.length);
    expect(new Set(hidden.flatMap((h) => h.problems))).toEqual(
      new Set(['the hub left this host out of its answer']),
    );
  });

  it('asks a hub without `hosts:heads` per host, for the first hosts only', async () => {
    const { hub, asked } = lyingHub(['h-010', 'h-550'], false);
    const hidden = await judge(hub);
    expect(hidden.map((h) => h.host)).toEqual(['h-010']);
    expect(asked).toEqual({ heads: [], history: PER_HOST_MAX });
  });
});
