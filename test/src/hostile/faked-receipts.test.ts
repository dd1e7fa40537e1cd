import type { Envelope, HostProgress } from '@serfbort/core';
import { fromBase64, toBase64, utf8Decode, utf8Encode } from '@serfbort/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Fleet as FleetType } from '../cli/fleet.js';
import { Fleet, trustedFleet } from '../cli/fleet.js';
import type { Packet } from './tamper-proxy.js';
import { startTamperProxy } from './tamper-proxy.js';

/*
 * The hub (here: a man in the middle in front of a real hub) lies to the operator about
 * results. The CLI verifies every receipt against operator-approved agent keys, so each
 * lie shows up as UNVERIFIED and the exit code is 1.
 */

interface HostJson {
  host: string;
  status: string;
  verified: boolean;
}
interface DeployJson {
  hosts: HostJson[];
  exitCode: number;
}

type Lie = (p: HostProgress) => HostProgress;
let lie: Lie = (p) => p;

/** Applies the current lie to every HostProgress inside deploy:update events and deploy:watch acks. */
function tamperPacket(packet: Packet): unknown[] {
  if (packet.namespace !== '/operator') return packet.data;
  const fix = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(fix);
    if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (
        typeof o.host === 'string' &&
        typeof o.state === 'string' &&
        typeof o.updatedAt === 'number'
      )
        return lie(o as unknown as HostProgress);
      return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, fix(x)]));
    }
    return v;
  };
  return packet.data.map(fix);
}

function rewriteReceipt(
  envelope: Envelope,
  change: (r: Record<string, unknown>) => void,
): Envelope {
  const r = JSON.parse(utf8Decode(fromBase64(envelope.payload))) as Record<string, unknown>;
  change(r);
  return { ...envelope, payload: toBase64(utf8Encode(JSON.stringify(r))) };
}

let fleet: FleetType;
let proxy: Awaited<ReturnType<typeof startTamperProxy>>;
let realHub = '';
const alice = (args: string[]) => fleet.cli('alice', args);

beforeAll(async () => {
  fleet = new Fleet();
  await trustedFleet(fleet, ['weba', 'webb']);
  realHub = fleet.hubUrl;
  proxy = await startTamperProxy(realHub, tamperPacket);
  fleet.hubUrl = proxy.url; // the CLI talks through the liar; agents stay on the real hub
}, 120_000);

afterAll(async () => {
  if (fleet) fleet.hubUrl = realHub;
  await proxy?.close();
  await fleet?.close();
});

describe('a hub that fakes receipts', () => {
  let webaReceipt: Envelope | undefined;
  it('an honest relay through the proxy verifies (control)', async () => {
    lie = (p) => {
      if (p.host === 'weba' && p.receipt) webaReceipt = p.receipt;
      return p;
    };
    const r = await alice(['deploy', 'shop', 'v2', '-l', 'role=web', '--yes', '--json']);
    const out = r.json<DeployJson>();
    expect(out.hosts.map((h) => [h.host, h.status, h.verified])).toEqual([
      ['weba', 'succeeded', true],
      ['webb', 'succeeded', true],
    ]);
    expect(r.code).toBe(0);
  });

  it('turning a failed receipt into "succeeded" is flagged UNVERIFIED, exit 1', async () => {
    lie = (p) =>
      p.receipt
        ? {
            ...p,
            state: 'succeeded',
            exitCode: 0,
            receipt: rewriteReceipt(p.receipt, (r) =>
              Object.assign(r, { status: 'succeeded', exitCode: 0 }),
            ),
          }
        : p;
    const before = proxy.tampered;
    const r = await alice(['deploy', 'shop', 'fail-2', '-l', 'role=web', '--yes', '--json']);
    expect(proxy.tampered).toBeGreaterThan(before);
    const out = r.json<DeployJson>();
    for (const h of out.hosts) expect(h.verified).toBe(false);
    expect(r.code).toBe(1);
    const human = await alice(['deploy', 'shop', 'fail-3', '-l', 'role=web', '--yes']);
    expect(human.stdout + human.stderr).toMatch(/UNVERIFIED/);
    expect(human.code).toBe(1);
  });

  it('claiming success with no receipt at all is flagged UNVERIFIED, exit 1', async () => {
    lie = (p) => {
      const { receipt: _dropped, ...rest } = p;
      return ['failed', 'succeeded'].includes(p.state) ? { ...rest, state: 'succeeded' } : p;
    };
    const r = await alice(['deploy', 'shop', 'fail-4', '-l', 'role=web', '--yes', '--json']);
    const out = r.json<DeployJson>();
    for (const h of out.hosts) expect(h.verified).toBe(false);
    expect(r.code).toBe(1);
  });

  it("another host's genuine receipt passed off as this host's answer is flagged UNVERIFIED", async () => {
    expect(webaReceipt).toBeDefined();
    lie = (p) =>
      p.host === 'webb' && p.receipt ? { ...p, state: 'succeeded', receipt: webaReceipt! } : p;
    const r = await alice(['deploy', 'shop', 'fail-5', '--hosts', 'weba,webb', '--yes', '--json']);
    const out = r.json<DeployJson>();
    expect(out.hosts.find((h) => h.host === 'webb')?.verified).toBe(false);
    expect(r.code).toBe(1);
  });
});
