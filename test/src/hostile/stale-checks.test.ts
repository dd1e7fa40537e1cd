import type { CheckResult, Envelope } from '@serfbort/core';
import { fromBase64, utf8Decode } from '@serfbort/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Fleet as FleetType } from '../cli/fleet.js';
import { expectOk, Fleet, trustedFleet } from '../cli/fleet.js';
import type { Packet } from './tamper-proxy.js';
import { startTamperProxy } from './tamper-proxy.js';

/*
 * A man in the middle in front of a real hub lies about check answers: it shows answers
 * kept from an earlier check, or leaves a host out. The CLI signs its own check request
 * and names each lie (STALE, withheld), exit 1.
 */

interface HostJson {
  host: string;
  status: string;
  verified: boolean;
  fresh: boolean | null;
  code: string | null;
}
interface CheckJson {
  hosts: HostJson[];
  withheld: string[];
  exitCode: number;
}

type Lie = (r: CheckResult) => CheckResult;
let lie: Lie = (r) => r;

const isCheckResult = (v: unknown): v is CheckResult =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as CheckResult).checkId === 'string' &&
  Array.isArray((v as CheckResult).answers) &&
  Array.isArray((v as CheckResult).unreachable);

/** Applies the current lie to the check:run acknowledgement on its way to the operator. */
function tamperPacket(packet: Packet): unknown[] {
  if (packet.namespace !== '/operator' || packet.kind !== 'ack') return packet.data;
  return packet.data.map((ack) => {
    const data = (ack as { data?: unknown } | null)?.data;
    return isCheckResult(data) ? { ...(ack as object), data: lie(data) } : ack;
  });
}

const hostOf = (e: Envelope) =>
  (JSON.parse(utf8Decode(fromBase64(e.payload))) as { host: string }).host;

let fleet: FleetType;
let proxy: Awaited<ReturnType<typeof startTamperProxy>>;
let realHub = '';
const alice = (args: string[]) => fleet.cli('alice', args);

beforeAll(async () => {
  fleet = new Fleet();
  await trustedFleet(fleet, ['weba', 'webb']);
  realHub = fleet.hubUrl;
  expectOk(await alice(['deploy', 'shop', 'v2', '-l', 'role=web', '--yes']), 'deploy v2');
  proxy = await startTamperProxy(realHub, tamperPacket);
  fleet.hubUrl = proxy.url; // the CLI talks through the liar; agents stay on the real hub
}, 120_000);

afterAll(async () => {
  if (fleet) fleet.hubUrl = realHub;
  await proxy?.close();
  await fleet?.close();
});

describe('a hub that lies about check answers', () => {
  let yesterday: Envelope[] = [];
  const check = () => alice(['check', 'shop', 'v2', '--hosts', 'weba,webb', '--json']);

  it('an honest relay through the proxy verifies, fresh (control)', async () => {
    lie = (r) => {
      yesterday = r.answers;
      return r;
    };
    const r = await check();
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.json<CheckJson>().hosts.map((h) => [h.host, h.status, h.verified, h.fresh])).toEqual([
      ['weba', 'ok', true, true],
      ['webb', 'ok', true, true],
    ]);
  });

  it('answers kept from an earlier check are named STALE, exit 1', async () => {
    expect(yesterday).toHaveLength(2);
    lie = (r) => ({ ...r, answers: yesterday });
    const r = await check();
    expect(r.code).toBe(1);
    const hosts = r.json<CheckJson>().hosts;
    for (const h of hosts) expect(h).toMatchObject({ status: 'STALE', code: 'WRONG_CHECK' });
    const human = await alice(['check', 'shop', 'v2', '--hosts', 'weba,webb']);
    expect(human.code).toBe(1);
    expect(human.stderr).toMatch(/STALE answers .*weba, webb/);
  });

  it('a host the hub leaves out is named withheld by the hub, exit 1', async () => {
    lie = (r) => ({
      ...r,
      answers: r.answers.filter((a) => hostOf(a) !== 'webb'),
      unreachable: r.unreachable.filter((h) => h !== 'webb'),
    });
    const r = await check();
    expect(r.code).toBe(1);
    const out = r.json<CheckJson>();
    expect(out.withheld).toEqual(['webb']);
    expect(out.hosts.find((h) => h.host === 'webb')).toMatchObject({
      status: 'withheld',
      code: 'WITHHELD',
    });
    const human = await alice(['check', 'shop', 'v2', '--hosts', 'weba,webb']);
    expect(human.code).toBe(1);
    expect(human.stderr).toMatch(/withheld by the hub.*: webb/);
  });
});
