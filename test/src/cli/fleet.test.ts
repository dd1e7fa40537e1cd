import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { errorCode } from '@serfbort/testkit/cli';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Fleet as FleetType } from './fleet.js';
import { expectOk, Fleet, reachStatus } from './fleet.js';

interface HostJson {
  host: string;
  status: string;
  verified: boolean;
  reason: string | null;
  versionAfter: string | null;
}
interface DeployJson {
  requestId: string;
  hosts: HostJson[];
  ok: boolean;
  exitCode: number;
}

let fleet: FleetType;
const admin = (args: string[]) => fleet.cli('r1', args);
const alice = (args: string[], env?: Record<string, string | undefined>) =>
  fleet.cli('alice', args, env);
const bob = (args: string[]) => fleet.cli('bob', args);
const byHost = (d: { hosts: HostJson[] }) => Object.fromEntries(d.hosts.map((h) => [h.host, h]));

beforeAll(async () => {
  fleet = new Fleet();
  for (const who of ['r1', 'alice', 'bob', 'mallory'])
    expectOk(
      await admin(['key', 'generate', '--out', `${who}.key.json`, '--name', who]),
      `key ${who}`,
    );
  expectOk(
    await admin(['trust', 'init', '--root-key', 'r1.key.json', '--out', 'root.json']),
    'trust init',
  );
  expectOk(
    await admin([
      'trust',
      'add-operator',
      'alice.key.json',
      '--name',
      'alice',
      '--root-key',
      'r1.key.json',
    ]),
    'add alice',
  );
  expectOk(
    await admin([
      'trust',
      'add-operator',
      'bob.key.json',
      '--name',
      'bob',
      '--root-key',
      'r1.key.json',
    ]),
    'add bob',
  );
  await fleet.startHub();
  expectOk(await admin(['trust', 'publish', 'root.json', 'keyring.json']), 'publish');
  for (const [name, labels] of [
    ['weba', ['role=web', 'dc=ams']],
    ['webb', ['role=web', 'dc=fra', 'canary']],
    ['dbx', ['role=db']],
    ['oddz', ['role=odd']],
  ] as const) {
    await reachStatus(await fleet.startAgent({ name, labels: [...labels] }), 'pending');
  }
}, 120_000);

afterAll(async () => {
  await fleet?.close();
});

describe('agents', () => {
  it('pending lists new agents with the fingerprint the agent itself shows', async () => {
    const r = expectOk(await alice(['agents', 'pending', '--json']), 'pending');
    const pending = r.json<{ pending: { name: string; fingerprint: string }[] }>().pending;
    expect(pending.map((p) => p.name).sort()).toEqual(['dbx', 'oddz', 'weba', 'webb']);
    expect(pending.find((p) => p.name === 'weba')?.fingerprint).toBe(
      fleet.agents.get('weba')?.fingerprint,
    );
    expect(expectOk(await alice(['agents', 'pending']), 'pending').stdout).toContain(
      fleet.agents.get('webb')!.fingerprint,
    );
  });

  it('approve refuses a fingerprint that does not match and signs nothing', async () => {
    const r = await alice([
      'agents',
      'approve',
      'weba',
      '--fingerprint',
      '0000-0000-0000-0000',
      '--yes',
    ]);
    expect(r.code).toBe(2);
    expect(errorCode(r)).toBe('FINGERPRINT_MISMATCH');
  });

  it('approve signs an approval the agents act on', async () => {
    for (const name of ['weba', 'webb', 'dbx']) {
      const ready = reachStatus(fleet.agents.get(name)!, 'approved');
      expectOk(
        await alice([
          'agents',
          'approve',
          name,
          '--fingerprint',
          fleet.agents.get(name)!.fingerprint,
          '--yes',
        ]),
        `approve ${name}`,
      );
      await ready;
    }
    const ready = reachStatus(fleet.agents.get('oddz')!, 'approved');
    const oddz = fleet.agents.get('oddz')!.fingerprint;
    expectOk(
      await bob(['agents', 'approve', 'oddz', '--fingerprint', oddz, '--yes']),
      'bob approves oddz',
    );
    await ready;
  });

  it('token enrolls an agent without a separate approval; the token is printed once, on stdout', async () => {
    const r = expectOk(
      await alice(['agents', 'token', '--host', 'edge1', '--expires', '10m']),
      'token',
    );
    const token = r.stdout.trim();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(r.stderr).not.toContain(token);
    await reachStatus(
      await fleet.startAgent({ name: 'edge1', labels: ['role=edge'], enrollmentToken: token }),
      'approved',
    );
  });
});

describe('list', () => {
  it('shows hosts with labels, state and app versions; --json carries the same facts', async () => {
    const json = expectOk(await alice(['list', '--json']), 'list').json<{
      hosts: {
        name: string;
        state: string;
        labels: Record<string, string>;
        apps: Record<string, { version: string | null }>;
      }[];
    }>();
    const human = expectOk(await alice(['list']), 'list').stdout;
    expect(json.hosts.map((h) => h.name)).toEqual(['dbx', 'edge1', 'oddz', 'weba', 'webb']);
    expect(json.hosts.find((h) => h.name === 'edge1')?.state).toBe('online');
    for (const h of json.hosts) {
      expect(human).toContain(h.name);
      expect(human).toContain(h.state);
      for (const [k, v] of Object.entries(h.labels)) expect(human).toContain(v ? `${k}=${v}` : k);
    }
    expect(json.hosts.find((h) => h.name === 'weba')?.labels).toEqual({ role: 'web', dc: 'ams' });
  });

  it('lists agents approved while connected as online', async () => {
    const json = expectOk(await alice(['list', '--json']), 'list').json<{
      hosts: { name: string; state: string }[];
    }>();
    expect(json.hosts.map((h) => h.state)).toEqual(json.hosts.map(() => 'online'));
  });

  it('filters by selector', async () => {
    const r = expectOk(await alice(['list', '-l', 'role=web,!canary', '--json']), 'list');
    expect(r.json<{ hosts: { name: string }[] }>().hosts.map((h) => h.name)).toEqual(['weba']);
  });
});

describe('deploy', () => {
  it('deploys to a selector, one line per host, summary table, exit 0', async () => {
    const r = await alice(['deploy', 'shop', 'v2', '-l', 'role=web', '--yes']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/✓ weba succeeded v1 → v2/);
    expect(r.stdout).toMatch(/✓ webb succeeded v1 → v2/);
    expect(r.stdout).toMatch(/shop v2: 2 succeeded/);
    expect(r.stderr).toContain('About to sign');
    expect(readFileSync(join(fleet.dir, 'agents', 'weba', 'current-shop'), 'utf8')).toBe('v2');
  });

  it('--json is one document with the same facts, every receipt verified', async () => {
    const r = await alice(['deploy', 'shop', 'v3', '--hosts', 'weba,dbx', '--yes', '--json']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const d = r.json<DeployJson>();
    expect(d.ok).toBe(true);
    expect(byHost(d)).toMatchObject({
      weba: { status: 'succeeded', verified: true, versionAfter: 'v3' },
      dbx: { status: 'succeeded', verified: true, versionAfter: 'v3' },
    });
  });

  it('a failing deploy names the host and the reason, and exits 1', async () => {
    const r = await alice(['deploy', 'shop', 'fail-1', '--hosts', 'dbx', '--yes', '--json']);
    expect(r.code).toBe(1);
    const dbx = byHost(r.json<DeployJson>()).dbx;
    expect(dbx).toMatchObject({ status: 'failed', verified: true });
    expect(dbx?.reason).toBeTruthy();
    const human = await alice(['deploy', 'shop', 'fail-2', '--hosts', 'dbx', '--yes']);
    expect(human.code).toBe(1);
    expect(human.stdout).toMatch(new RegExp(`✗ dbx failed .*\\(${dbx?.reason}\\)`));
  });

  it('--expect: a version that does not resolve to the expected result fails the host', async () => {
    const r = await alice([
      'deploy',
      'shop',
      'v5',
      '--hosts',
      'dbx',
      '--expect',
      'something-else',
      '--yes',
      '--json',
    ]);
    expect(r.code).toBe(1);
    const dbx = byHost(r.json<DeployJson>()).dbx;
    expect(dbx).toMatchObject({ status: 'failed', verified: true, versionAfter: 'v5' });
    expect(dbx?.reason).toBeTruthy();
  });

  it('a selector that matches no host signs nothing and exits 2', async () => {
    const r = await alice(['deploy', 'shop', 'v9', '-l', 'role=nothing', '--yes']);
    expect(r.code).toBe(2);
    expect(errorCode(r)).toBe('NO_MATCHING_HOSTS');
  });

  describe('typos are caught before signing', () => {
    it('an app no targeted host has: UNKNOWN_APP naming the closest app, nothing signed', async () => {
      const r = await alice(['deploy', 'shpo', 'v9', '-l', 'role=web', '--yes']);
      expect(r.code, r.stderr).toBe(2);
      expect(errorCode(r)).toBe('UNKNOWN_APP');
      expect(r.stderr).toContain(
        "no targeted host has app 'shpo' (per the hub, they have: creds, shop); did you mean 'shop'?",
      );
      expect(r.stderr).not.toContain('About to sign');
      const file = join(fleet.dir, 'typo-request.json');
      const signOnly = await alice([
        ...['deploy', 'shpo', 'v9', '-l', 'role=web', '--sign-only', '--out', file, '--yes'],
      ]);
      expect(errorCode(signOnly)).toBe('UNKNOWN_APP');
      expect(existsSync(file)).toBe(false);
      // the hub never heard of it: no host has a deploy of that app, pending or done
      expect(expectOk(await alice(['list', '--json']), 'list').stdout).not.toContain('shpo');
    });

    it('an unknown host name: UNKNOWN_HOST naming the closest host, nothing signed', async () => {
      const r = await alice(['deploy', 'shop', 'v9-typo', '--hosts', 'weba,wbeb', '--yes']);
      expect(r.code, r.stderr).toBe(2);
      expect(errorCode(r)).toBe('UNKNOWN_HOST');
      expect(r.stderr).toContain("no host named 'wbeb' is known to the hub; did you mean 'webb'?");
      expect(r.stderr).not.toContain('About to sign');
      // weba, the host that exists, never heard of it either
      expect(expectOk(await alice(['list', '--json']), 'list').stdout).not.toContain('v9-typo');
    });

    it('under --json the refusal is one JSON document, exit 2', async () => {
      const r = await alice(['deploy', 'shpo', 'v9', '-l', 'role=web', '--yes', '--json']);
      expect(r.code).toBe(2);
      expect(r.json<{ error: { code: string; message: string }; exitCode: number }>()).toEqual({
        error: {
          code: 'UNKNOWN_APP',
          message: expect.stringContaining("did you mean 'shop'?"),
        },
        exitCode: 2,
      });
    });

    it('a selector matching nobody is refused even with --allow-unknown: the hub would refuse it', async () => {
      const r = await alice([
        ...['deploy', 'shop', 'v9', '-l', 'rol=web', '--allow-unknown', '--yes'],
      ]);
      expect(r.code, r.stderr).toBe(2);
      expect(errorCode(r)).toBe('NO_MATCHING_HOSTS');
      expect(r.stderr).toContain("no host has a label 'rol'; did you mean 'role'?");
    });

    it('--allow-unknown signs an app no host reports, with a warning; the agents refuse it', async () => {
      const r = await alice([
        ...['deploy', 'shpo', 'v9', '--hosts', 'weba', '--allow-unknown', '--yes', '--json'],
      ]);
      expect(r.stderr).toMatch(/no targeted host has app 'shpo'.*\(UNKNOWN_APP; signing anyway/);
      expect(byHost(r.json<DeployJson>()).weba).toMatchObject({
        status: 'rejected',
        verified: true,
        reason: 'APP_NOT_CONFIGURED',
      });
    });

    it('check refuses an app no host reports before signing the question', async () => {
      const r = await alice(['check', 'shpo', '--hosts', 'weba']);
      expect(r.code).toBe(2);
      expect(errorCode(r)).toBe('UNKNOWN_APP');
      expect(r.stderr).toContain("did you mean 'shop'?");
    });

    it('a selector value no host has: NO_MATCHING_HOSTS naming the closest value', async () => {
      const r = await alice(['deploy', 'shop', 'v9', '-l', 'role=wbe', '--yes']);
      expect(errorCode(r)).toBe('NO_MATCHING_HOSTS');
      expect(r.stderr).toContain("no host has role=wbe; did you mean 'web'?");
    });

    it('--allow-unknown warns and signs for the hosts that do exist', async () => {
      const r = await alice([
        'deploy',
        'shop',
        'v9',
        '--hosts',
        'weba,wbeb',
        '--allow-unknown',
        '--yes',
        '--json',
      ]);
      expect(r.stderr).toContain('UNKNOWN_HOST');
      expect(byHost(r.json<DeployJson>()).weba).toMatchObject({
        status: 'succeeded',
        verified: true,
      });
    });
  });

  it('without a terminal and without --yes, nothing is signed (exit 2)', async () => {
    const r = await alice(['deploy', 'shop', 'v9', '-l', 'role=web']);
    expect(r.code).toBe(2);
    expect(errorCode(r)).toBe('CONFIRMATION_REQUIRED');
  });

  it('input errors exit 2 before any network: no target, both targets, a bad version', async () => {
    expect(errorCode(await alice(['deploy', 'shop', 'v9']))).toBe('TARGET_REQUIRED');
    expect(errorCode(await alice(['deploy', 'shop', 'v9', '-l', 'a', '--hosts', 'b']))).toBe(
      'TARGET_AMBIGUOUS',
    );
    expect(errorCode(await alice(['deploy', 'shop', 'v1;reboot', '-l', 'a']))).toBe('BAD_VERSION');
  });

  it('an operator the keyring does not list is refused by the hub: exit 3 with its code', async () => {
    const r = await fleet.cli('mallory', ['deploy', 'shop', 'v9', '-l', 'role=web', '--yes']);
    expect(r.code, r.stderr).toBe(3);
    expect(['UNAUTHENTICATED', 'FORBIDDEN', 'UNKNOWN_SIGNER']).toContain(errorCode(r));
  });

  it('--no-wait returns at once; watch follows the deployment later', async () => {
    const r = await alice([
      'deploy',
      'shop',
      'v4',
      '--hosts',
      'weba',
      '--yes',
      '--no-wait',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const id = r.json<{ requestId: string }>().requestId;
    const w = await alice(['watch', id, '--json']);
    expect(w.code, w.stderr).toBe(0);
    expect(w.stderr).not.toMatch(/not signed by an operator/);
    expect(byHost(w.json<DeployJson>()).weba).toMatchObject({
      status: 'succeeded',
      verified: true,
      versionAfter: 'v4',
    });
  });
});

describe('words that do not mislead', () => {
  it('a request a newer one replaced before delivery is superseded, not expired', async () => {
    await fleet.stopAgent('dbx');
    // counts read as words: "1 host", never "1 host(s)"
    const first = await alice(['deploy', 'creds', 'c20', '--hosts', 'dbx', '--yes', '--no-wait']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toContain('(1 host matches now: dbx [left])');
    const older = /submitted (\S+) to 1 host; follow it/.exec(first.stdout)?.[1] ?? '';
    const second = await alice([
      ...['deploy', 'creds', 'c21', '--hosts', 'dbx', '--yes', '--no-wait', '--json'],
    ]);
    const newer = second.json<{ requestId: string }>().requestId;
    await reachStatus(await fleet.startAgent({ name: 'dbx', labels: ['role=db'] }), 'approved');
    const w = await alice(['watch', newer, '--json']);
    expect(byHost(w.json<DeployJson>()).dbx).toMatchObject({ status: 'succeeded', verified: true });
    const json = await alice(['watch', older, '--json']);
    expect(byHost(json.json<DeployJson>()).dbx).toMatchObject({
      status: 'superseded',
      verified: false,
      reason: 'SUPERSEDED: a newer request for this app reached the host first',
    });
    const human = await alice(['watch', older]);
    expect(human.stdout).toMatch(/✗ dbx superseded/);
    expect(human.stdout).toMatch(/\b1 superseded\b/);
    expect(human.stdout).not.toMatch(/expired/);
  });
});

describe('check', () => {
  it('prints OK when every host runs the version', async () => {
    const r = await alice(['check', 'shop', 'v2', '--hosts', 'webb']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/OK 1 host runs shop v2/);
  });

  it('names mismatched hosts and exits 1; --json carries the same facts', async () => {
    const human = await alice(['check', 'shop', 'v2', '-l', 'role=web']);
    const json = await alice(['check', 'shop', 'v2', '-l', 'role=web', '--json']);
    expect(human.code).toBe(1);
    expect(json.code).toBe(1);
    expect(human.stdout).toMatch(/mismatched: weba/);
    const hosts = json.json<{
      hosts: { host: string; status: string; version: string; verified: boolean }[];
    }>().hosts;
    expect(hosts).toEqual([
      expect.objectContaining({ host: 'weba', status: 'mismatch', version: 'v4', verified: true }),
      expect.objectContaining({ host: 'webb', status: 'ok', version: 'v2', verified: true }),
    ]);
    for (const h of hosts) expect(human.stdout).toContain(h.version);
  });

  it('without a version, lists each host version', async () => {
    const r = await alice(['check', 'shop', '--json']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(
      Object.fromEntries(
        r
          .json<{ hosts: { host: string; version: string }[] }>()
          .hosts.map((h) => [h.host, h.version]),
      ),
    ).toMatchObject({ weba: 'v4', webb: 'v2', dbx: 'v5' });
  });

  it('names an unreachable host and exits 1', async () => {
    await fleet.stopAgent('edge1');
    const r = await alice(['check', 'shop', '--hosts', 'edge1,dbx', '--timeout', '2s']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/unreachable: edge1/);
  });
});

describe('app policy: 2 operator signatures', () => {
  beforeAll(async () => {
    expectOk(
      await admin([
        'trust',
        'set-policy',
        'creds',
        '--threshold',
        '2',
        '--root-key',
        'r1.key.json',
      ]),
      'set-policy',
    );
    expectOk(await admin(['trust', 'publish', 'keyring.json']), 'publish');
  });

  it('one signature is refused', async () => {
    const r = await alice(['deploy', 'creds', 'c2', '--hosts', 'weba', '--yes', '--json']);
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).toContain('THRESHOLD_NOT_MET');
  });

  it('works with --cosign-key', async () => {
    const r = await alice([
      'deploy',
      'creds',
      'c2',
      '--hosts',
      'weba',
      '--cosign-key',
      'bob.key.json',
      '--yes',
      '--json',
    ]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(byHost(r.json<DeployJson>()).weba).toMatchObject({
      status: 'succeeded',
      versionAfter: 'c2',
    });
  });

  it('works with --sign-only, `sign` by the second operator, then `submit`', async () => {
    expectOk(
      await alice([
        'deploy',
        'creds',
        'c3',
        '--hosts',
        'weba',
        '--sign-only',
        '--out',
        'req.json',
        '--yes',
      ]),
      'sign-only',
    );
    const single = await alice(['submit', 'req.json', '--json']);
    expect(single.code).toBe(3);
    expect(errorCode(single)).toBe('THRESHOLD_NOT_MET');
    expectOk(await bob(['sign', 'req.json', '--yes']), 'bob signs');
    const r = await alice(['submit', 'req.json', '--json']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(byHost(r.json<DeployJson>()).weba).toMatchObject({
      status: 'succeeded',
      versionAfter: 'c3',
    });
  });
});

describe('revoking an operator', () => {
  let pendingId = '';

  it('bob signs a deploy for an offline host before he is revoked', async () => {
    await fleet.stopAgent('webb');
    const r = await bob([
      'deploy',
      'shop',
      'v7',
      '--hosts',
      'webb',
      '--yes',
      '--no-wait',
      '--json',
    ]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    pendingId = r.json<{ requestId: string }>().requestId;
    const listed = expectOk(await alice(['list', '--hosts', 'webb', '--json']), 'list').json<{
      hosts: { pendingDeploys: { requestId: string; version: string }[] }[];
    }>();
    expect(listed.hosts[0]?.pendingDeploys).toEqual([
      expect.objectContaining({ requestId: pendingId, version: 'v7' }),
    ]);
    expect(expectOk(await alice(['list', '--hosts', 'webb']), 'list').stdout).toContain('shop v7');
  });

  it('after revoke-operator + publish, trust show lists bob no more', async () => {
    copyFileSync(join(fleet.dir, 'keyring.json'), join(fleet.dir, 'keyring-old.json'));
    expectOk(
      await admin([
        'trust',
        'revoke-operator',
        'bob',
        '--expires',
        '3d',
        '--root-key',
        'r1.key.json',
      ]),
      'revoke',
    );
    expectOk(await admin(['trust', 'publish', 'keyring.json']), 'publish');
    const json = expectOk(await alice(['trust', 'show', '--json']), 'trust show');
    const shown = json.json<{
      pinned: boolean;
      keyring: { version: number; expiresSoon: boolean; operators: { name: string }[] };
    }>();
    expect(shown.pinned).toBe(true);
    expect(shown.keyring.operators.map((o) => o.name)).toEqual(['alice']);
    expect(shown.keyring.expiresSoon).toBe(true);
    const human = expectOk(await alice(['trust', 'show']), 'trust show');
    expect(human.stdout).toContain(`keyring v${shown.keyring.version}: 1 operator\n`);
    expect(human.stderr).toMatch(/expires within 7 days/);
  });

  it('the agent refuses the request bob signed earlier when it comes back', async () => {
    await reachStatus(
      await fleet.startAgent({ name: 'webb', labels: ['role=web', 'dc=fra', 'canary'] }),
      'approved',
    );
    const w = await alice(['watch', pendingId, '--json', '--timeout', '20s']);
    const webb = byHost(w.json<DeployJson>()).webb;
    expect(w.code).toBe(1);
    expect(webb).toMatchObject({ status: 'rejected', verified: true });
    expect(['UNKNOWN_SIGNER', 'SIGNER_NOT_ALLOWED', 'BAD_SIGNATURE']).toContain(webb?.reason);
    expect(w.stderr).toMatch(/not signed by an operator of keyring/);
    expect(readFileSync(join(fleet.dir, 'agents', 'webb', 'current-shop'), 'utf8')).toBe('v2');
  });

  it('bob himself is refused by the hub (exit 3)', async () => {
    const r = await bob(['deploy', 'shop', 'v8', '--hosts', 'weba', '--yes']);
    expect(r.code, r.stderr).toBe(3);
    expect(['UNAUTHENTICATED', 'FORBIDDEN', 'UNKNOWN_SIGNER']).toContain(errorCode(r));
  });

  it('answers from a host only bob vouched for are flagged UNVERIFIED, exit 1', async () => {
    const r = await alice(['check', 'shop', '--hosts', 'oddz']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('UNVERIFIED');
    expect(r.stderr).toMatch(/UNVERIFIED answers/);
  });

  it('a deploy answered by a host only bob vouched for is UNVERIFIED, loudly, exit 1', async () => {
    const json = await alice(['deploy', 'shop', 'v9', '--hosts', 'oddz', '--yes', '--json']);
    expect(json.code).toBe(1);
    expect(byHost(json.json<DeployJson>()).oddz).toMatchObject({
      status: 'UNVERIFIED',
      verified: false,
    });
    const human = await alice(['deploy', 'shop', 'v10', '--hosts', 'oddz', '--yes']);
    expect(human.code).toBe(1);
    expect(human.stdout).toMatch(/oddz\s+│\s+UNVERIFIED/);
    expect(human.stderr).toMatch(/does NOT verify/);
  });

  it('publishing an older keyring is refused by the hub (exit 3)', async () => {
    const r = await admin(['trust', 'publish', 'keyring-old.json']);
    expect(r.code, r.stderr).toBe(3);
    expect(errorCode(r)).toBe('TRUST_VERSION_NOT_NEWER');
  });
});

describe('hub and root handling', () => {
  it('tries the next hub of a comma list when the first does not answer', async () => {
    const r = await alice(['list', '--json'], {
      SERFBORT_HUB: `http://127.0.0.1:9,${fleet.hubUrl}`,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/127\.0\.0\.1:9 did not answer/);
  });

  it('no hub answering is exit 1 with HUB_UNREACHABLE', async () => {
    const r = await alice(['list'], { SERFBORT_HUB: 'http://127.0.0.1:9' });
    expect(r.code).toBe(1);
    expect(errorCode(r)).toBe('HUB_UNREACHABLE');
  });

  it('a rotated root is followed from the pinned root; the keyring may then be signed by the new key', async () => {
    expectOk(
      await admin([
        'trust',
        'rotate-root',
        '--current',
        'root.json',
        '--add',
        'bob.key.json',
        '--remove',
        'r1.key.json',
        '--root-key',
        'r1.key.json',
        '--root-key',
        'bob.key.json',
        '--out',
        'root-v2.json',
      ]),
      'rotate',
    );
    expectOk(
      await admin(['--root', 'root-v2.json', 'trust', 'renew', '--root-key', 'bob.key.json']),
      'renew',
    );
    expectOk(await admin(['trust', 'publish', 'root-v2.json', 'keyring.json']), 'publish');
    const shown = expectOk(await alice(['trust', 'show', '--json']), 'trust show').json<{
      pinned: boolean;
      root: { version: number };
    }>();
    expect(shown).toMatchObject({ pinned: true, root: { version: 2 } });
    const r = await alice(['check', 'shop', '--hosts', 'weba', '--json']);
    expect(r.code, r.stderr).toBe(0);
  });

  it('--from-hub edits the keyring the hub serves, verified from the pinned root', async () => {
    const before = expectOk(await admin(['trust', 'show', '--json']), 'show').json<{
      keyring: { version: number };
    }>();
    const edit = await admin([
      'trust',
      'add-operator',
      'mallory.key.json',
      '--name',
      'mallory',
      '--from-hub',
      '--out',
      'k-hub.json',
      '--root-key',
      'bob.key.json',
    ]);
    expect(edit.code, edit.stderr).toBe(0);
    expectOk(await admin(['trust', 'publish', 'k-hub.json']), 'publish');
    const after = expectOk(await admin(['trust', 'show', '--json']), 'show').json<{
      keyring: { version: number; operators: { name: string }[] };
    }>();
    expect(after.keyring.version).toBe(before.keyring.version + 1);
    expect(after.keyring.operators.map((o) => o.name)).toEqual(['alice', 'mallory']);
  });

  it('a pinned root the hub does not descend from is refused (exit 1)', async () => {
    expectOk(
      await admin(['trust', 'init', '--root-key', 'mallory.key.json', '--out', 'other-root.json']),
      'other root',
    );
    const r = await alice(['trust', 'show'], { SERFBORT_ROOT: join(fleet.dir, 'other-root.json') });
    expect(r.code).toBe(1);
    expect(errorCode(r)).toMatch(/^TRUST_/);
  });
});
