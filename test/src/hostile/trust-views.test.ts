import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Fleet as FleetType } from '../cli/fleet.js';
import { expectOk, Fleet, reachStatus, trustedFleet } from '../cli/fleet.js';
import type { Packet } from './tamper-proxy.js';
import { startTamperProxy } from './tamper-proxy.js';

/*
 * Split trust views (issue 16, finding 7): a man in the middle keeps one real agent on
 * keyring v1 after v2 is published. The agent signs what it holds; `list` compares that
 * with the newest keyring the operator's client verified itself and flags the host.
 */

interface TrustJson {
  host: string;
  root: number | null;
  keyring: number | null;
  verified: boolean;
  behind: string[];
}
interface ListJson {
  trust: { newest: { root: number; keyring: number } | null; hosts: TrustJson[] };
  trustBehind: string[];
}

let fleet: FleetType;
let proxy: Awaited<ReturnType<typeof startTamperProxy>>;
let realHub = '';
let oldKeyring: unknown;
const alice = (args: string[]) => fleet.cli('alice', args);

/** Every trust bundle on its way to the agent behind the proxy carries the old keyring. */
function keepOldKeyring(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(keepOldKeyring);
  if (!v || typeof v !== 'object') return v;
  const o = v as Record<string, unknown>;
  if (Array.isArray(o.roots) && 'keyring' in o) return { ...o, keyring: oldKeyring };
  return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, keepOldKeyring(x)]));
}
const tamper = (p: Packet) =>
  p.namespace === '/agent' ? (keepOldKeyring(p.data) as unknown[]) : p.data;

async function listJson(): Promise<ListJson> {
  return expectOk(await alice(['list', '--json']), 'list').json<ListJson>();
}

beforeAll(async () => {
  fleet = new Fleet();
  await trustedFleet(fleet, ['webb']);
  realHub = fleet.hubUrl;
  oldKeyring = JSON.parse(readFileSync(join(fleet.dir, 'keyring.json'), 'utf8'));
  proxy = await startTamperProxy(realHub, tamper);
  // weba talks to the hub through the liar; webb and the CLI talk to it directly
  fleet.hubUrl = proxy.url;
  const weba = await fleet.startAgent({ name: 'weba', labels: ['role=web'] });
  fleet.hubUrl = realHub;
  await reachStatus(weba, 'pending');
  const ready = reachStatus(weba, 'approved');
  const approve = ['agents', 'approve', 'weba', '--fingerprint', weba.fingerprint, '--yes'];
  expectOk(await alice(approve), 'approve weba');
  await ready;
}, 120_000);

afterAll(async () => {
  await fleet?.close();
  await proxy?.close();
});

describe('trust views', () => {
  it('list shows each agent root and keyring versions from its signed report', async () => {
    let hosts: TrustJson[] = [];
    for (let i = 0; i < 40 && hosts.filter((h) => h.verified).length < 2; i++) {
      hosts = (await listJson()).trust.hosts;
      if (hosts.filter((h) => h.verified).length < 2) await new Promise((r) => setTimeout(r, 250));
    }
    expect(hosts.map((h) => [h.host, h.root, h.keyring, h.verified, h.behind])).toEqual([
      ['weba', 1, 1, true, []],
      ['webb', 1, 1, true, []],
    ]);
  });

  it('a hub that serves an older keyring to one agent: list flags that agent', async () => {
    expectOk(
      await fleet.cli('r1', ['key', 'generate', '--out', 'bob.key.json', '--name', 'bob']),
      'key bob',
    );
    const addBob = ['bob.key.json', '--name', 'bob', '--root-key', 'r1.key.json'];
    expectOk(await fleet.cli('r1', ['trust', 'add-operator', ...addBob]), 'add bob');
    expectOk(await fleet.cli('r1', ['trust', 'publish', 'keyring.json']), 'publish v2');
    let out: ListJson | undefined;
    // webb's new report reaches the hub a moment after the publish: bounded wait for it
    for (let i = 0; i < 40; i++) {
      out = await listJson();
      if (out.trust.hosts.find((h) => h.host === 'webb')?.keyring === 2) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(out?.trust.newest).toEqual({ root: 1, keyring: 2 });
    expect(out?.trust.hosts.map((h) => [h.host, h.keyring, h.behind])).toEqual([
      ['weba', 1, ['keyring v1 < v2']],
      ['webb', 2, []],
    ]);
    expect(out?.trustBehind).toEqual(['weba']);
    const human = await alice(['list']);
    expect(human.stdout).toMatch(/keyring v1 < v2/);
    expect(human.stderr).toMatch(/behind the newest trust.*weba \(keyring v1 < v2\)/);
  });
});
