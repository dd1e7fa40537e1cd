import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { errorCode } from '@serfbort/testkit/cli';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Fleet as FleetType } from '../cli/fleet.js';
import { expectOk, Fleet, trustedFleet } from '../cli/fleet.js';
import { dropApproval, hide, type Lie } from './hide-host.js';
import { startTamperProxy } from './tamper-proxy.js';

/*
 * A man in the middle in front of a real hub hides a host the operators approved: from a
 * check, a deploy, a list, or by no longer presenting its approval. The CLI remembers every
 * approval it verified (its roster) and names the host each time, exit 1.
 */

interface Row {
  host: string;
  status: string;
  code?: string | null;
  reason?: string | null;
}
interface Named {
  hosts: Row[];
  withheld: string[];
  approvalDisappeared: string[];
  exitCode?: number;
}

let lie: Lie = (p) => p.data;

let fleet: FleetType;
let proxy: Awaited<ReturnType<typeof startTamperProxy>>;
let realHub = '';
const alice = (args: string[]) => fleet.cli('alice', args);

beforeAll(async () => {
  fleet = new Fleet();
  // alice approves both through the real hub: her CLI remembers both approvals
  await trustedFleet(fleet, ['weba', 'webb']);
  realHub = fleet.hubUrl;
  proxy = await startTamperProxy(realHub, (p) => lie(p));
  fleet.hubUrl = proxy.url; // the CLI talks through the liar; agents stay on the real hub
}, 120_000);

afterAll(async () => {
  if (fleet) fleet.hubUrl = realHub;
  await proxy?.close();
  await fleet?.close();
});

describe("the client's roster against a hub that hides hosts", () => {
  it('is kept per hub id in the config directory once alice approves', () => {
    const files = readdirSync(join(fleet.dir, '.config', 'serfbort', 'roster'));
    expect(files.filter((f) => f !== 'hubs.json')).toHaveLength(1);
  });

  it('an honest relay names nothing (control)', async () => {
    lie = (p) => p.data;
    const list = await alice(['list', '--json']);
    expect(list.code, list.stderr).toBe(0);
    expect(list.json<Named>()).toMatchObject({ withheld: [], approvalDisappeared: [] });
    const check = await alice(['check', 'shop', '-l', 'role=web', '--json']);
    expect(check.code, check.stderr).toBe(0);
  });

  it.each([
    ['a selector', ['-l', 'role=web']],
    ['names', ['--hosts', 'weba,webb']],
  ])('a check by %s the hub left a host out of names it withheld, exit 1', async (_, target) => {
    lie = hide('webb', true);
    const r = await alice(['check', 'shop', ...target, '--json']);
    expect(r.code).toBe(1);
    const out = r.json<Named>();
    expect(out.withheld).toEqual(['webb']);
    expect(out.hosts.find((h) => h.host === 'webb')).toMatchObject({
      status: 'withheld',
      code: 'WITHHELD',
    });
    const human = await alice(['check', 'shop', ...target]);
    expect(human.code).toBe(1);
    expect(human.stderr).toMatch(/withheld by the hub.*: webb/);
  });

  it('a list the hub left a host out of names it, exit 1', async () => {
    lie = hide('webb', true);
    const r = await alice(['list', '--json']);
    expect(r.code).toBe(1);
    expect(r.json<Named>()).toMatchObject({ withheld: ['webb'], approvalDisappeared: [] });
    const human = await alice(['list', '-l', 'role=web']);
    expect(human.code).toBe(1);
    expect(human.stdout).toMatch(/webb.*withheld by the hub/);
    expect(human.stderr).toMatch(/withheld by the hub.*: webb/);
  });

  it('a deploy the hub left a host out of names it withheld, exit 1', async () => {
    lie = hide('webb', true);
    const r = await alice(['deploy', 'shop', 'v2', '-l', 'role=web', '--yes', '--json']);
    expect(r.code, r.stderr).toBe(1);
    const out = r.json<Named>();
    expect(out.withheld).toEqual(['webb']);
    expect(out.hosts.map((h) => [h.host, h.status])).toEqual([
      ['weba', 'succeeded'],
      ['webb', 'withheld'],
    ]);
    const human = await alice(['deploy', 'shop', 'v3', '-l', 'role=web', '--yes']);
    expect(human.code).toBe(1);
    expect(human.stderr).toMatch(/withheld by the hub.*: webb/);
  });

  it('a rollout the hub left a host out of names it and exits 1', async () => {
    lie = hide('webb', true);
    const r = await alice([
      'deploy',
      'shop',
      'v4',
      '-l',
      'role=web',
      '--canary-hosts',
      'weba',
      '--yes',
    ]);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stderr).toMatch(/withheld by the hub.*no step will reach them.*: webb/);
  });

  it('a hub that stops presenting an approval: approval disappeared, exit 1', async () => {
    lie = dropApproval('webb');
    const check = await alice(['check', 'shop', '-l', 'role=web', '--json']);
    expect(check.code).toBe(1);
    expect(check.json<Named>().approvalDisappeared).toEqual(['webb']);
    expect(check.json<Named>().hosts.find((h) => h.host === 'webb')).toMatchObject({
      status: 'withheld',
      code: 'APPROVAL_DISAPPEARED',
    });
    const list = await alice(['list', '--json']);
    expect(list.code).toBe(1);
    expect(list.json<Named>()).toMatchObject({ withheld: [], approvalDisappeared: ['webb'] });
    const human = await alice(['check', 'shop', '-l', 'role=web']);
    expect(human.stderr).toMatch(/approval disappeared.*: webb/);
  });

  it('a host hidden entirely (approval too) is still named', async () => {
    lie = hide('webb', false);
    const r = await alice(['check', 'shop', '-l', 'role=web', '--json']);
    expect(r.code).toBe(1);
    expect(r.json<Named>().approvalDisappeared).toEqual(['webb']);
  });

  it('agents forget removes a decommissioned host on purpose; an unknown name exits 2', async () => {
    lie = hide('webb', false);
    const forgot = expectOk(await alice(['agents', 'forget', 'webb', '--json']), 'forget');
    expect(forgot.json()).toMatchObject({ host: 'webb', forgotten: true, stillPresented: false });
    const list = await alice(['list', '--json']);
    expect(list.code, list.stderr).toBe(0);
    expect(list.json<Named>()).toMatchObject({ withheld: [], approvalDisappeared: [] });
    const again = await alice(['agents', 'forget', 'webb']);
    expect(again.code).toBe(2);
    expect(errorCode(again)).toBe('NOT_ROSTERED');
  });

  it('a forgotten host whose approval the hub presents again is remembered again', async () => {
    lie = (p) => p.data;
    expectOk(await alice(['list']), 'list');
    lie = hide('webb', true);
    const r = await alice(['list', '--json']);
    expect(r.json<Named>().withheld).toEqual(['webb']);
  });

  it('a hub at a known URL that calls itself by a new id is held to the roster first seen there', async () => {
    const dir = join(fleet.dir, '.config', 'serfbort', 'roster');
    const [file] = readdirSync(dir).filter((f) => f !== 'hubs.json');
    const doc = JSON.parse(readFileSync(join(dir, file!), 'utf8')) as { hubId: string };
    // as if this URL had first answered as hub-before, whose roster alone knows webb
    writeFileSync(join(dir, 'hub-before.json'), JSON.stringify({ ...doc, hubId: 'hub-before' }));
    writeFileSync(join(dir, 'hubs.json'), JSON.stringify({ [proxy.url]: 'hub-before' }));
    writeFileSync(join(dir, file!), JSON.stringify({ ...doc, hosts: [] }));
    lie = hide('webb', false);
    const r = await alice(['list', '--json']);
    expect(r.code).toBe(1);
    expect(r.json<Named>().approvalDisappeared).toEqual(['webb']);
    expect(r.stderr).toMatch(/now calls itself .*knew it as hub-before/);
  });
});
