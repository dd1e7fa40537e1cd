import type { CliRun } from '@serfbort/testkit/cli';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Fleet as FleetType } from './fleet.js';
import { expectOk, Fleet, reachStatus } from './fleet.js';
import { startLyingOperatorHub } from './lying-operator-hub.js';

// The commands that printed only prose: with --json each prints exactly one JSON document
// on stdout (the notes for people stay on stderr).
let fleet: FleetType;
const admin = (args: string[]) => fleet.cli('r1', args);
const alice = (args: string[]) => fleet.cli('alice', args);
const bob = (args: string[]) => fleet.cli('bob', args);

/** stdout is one JSON document and nothing else */
function document<T = Record<string, unknown>>(run: CliRun, what: string): T {
  expectOk(run, what);
  return run.json<T>();
}

beforeAll(async () => {
  fleet = new Fleet();
  for (const who of ['r1', 'r2', 'alice', 'bob'])
    expectOk(await admin(['key', 'generate', '--out', `${who}.key.json`, '--name', who]), who);
}, 120_000);
afterAll(async () => {
  await fleet?.close();
});

describe('--json on the trust commands', () => {
  it('trust init', async () => {
    const d = document(
      await admin(['trust', 'init', '--root-key', 'r1.key.json', '--out', 'root.json', '--json']),
      'init',
    );
    expect(d).toMatchObject({ kind: 'root', version: 1, complete: true });
    expect(String(d.path)).toMatch(/root\.json$/);
    expect(d.digest).toMatch(/^[0-9a-f]{64}$/);
  });

  it('add-operator, set-policy, revoke-operator and renew', async () => {
    const add = (who: string) =>
      admin([
        'trust',
        'add-operator',
        `${who}.key.json`,
        '--name',
        who,
        '--root-key',
        'r1.key.json',
        '--json',
      ]);
    expect(document(await add('alice'), 'add alice')).toMatchObject({
      kind: 'keyring',
      version: 1,
      complete: true,
      signatures: { have: 1, need: 1 },
    });
    expect(document(await add('bob'), 'add bob')).toMatchObject({ version: 2 });
    const policy = document<{ keyring: { policies: unknown } }>(
      await admin([
        'trust',
        'set-policy',
        'creds',
        '--threshold',
        '2',
        '--root-key',
        'r1.key.json',
        '--json',
      ]),
      'set-policy',
    );
    expect(policy.keyring.policies).toEqual({ creds: { threshold: 2 } });
    expect(document(await add('r2'), 'add r2 as an operator')).toMatchObject({ version: 4 });
    const revoked = document<{ keyring: { operators: { name: string }[] } }>(
      await admin(['trust', 'revoke-operator', 'r2', '--root-key', 'r1.key.json', '--json']),
      'revoke',
    );
    expect(revoked.keyring.operators.map((o) => o.name)).toEqual(['alice', 'bob']);
    expect(
      document(await admin(['trust', 'renew', '--root-key', 'r1.key.json', '--json']), 'renew'),
    ).toMatchObject({ version: 6 });
  });

  it('trust sign and rotate-root', async () => {
    const rotated = document(
      await admin([
        'trust',
        'rotate-root',
        '--current',
        'root.json',
        '--add',
        'r2.key.json',
        '--threshold',
        '2',
        '--root-key',
        'r1.key.json',
        '--out',
        'root-v2.json',
        '--json',
      ]),
      'rotate-root',
    );
    expect(rotated).toMatchObject({ kind: 'root', version: 2, complete: false });
    const signed = document<{ signatures: string[] }>(
      await fleet.cli('r2', [
        'trust',
        'sign',
        'root-v2.json',
        '--current',
        'root.json',
        '--root-key',
        'r2.key.json',
        '--yes',
        '--json',
      ]),
      'trust sign',
    );
    expect(signed).toMatchObject({ kind: 'root', version: 2 });
    expect(signed.signatures).toHaveLength(2);
  });

  it('trust publish', async () => {
    await fleet.startHub();
    const d = document(
      await admin(['trust', 'publish', 'root.json', 'keyring.json', '--json']),
      'publish',
    );
    expect(d).toEqual({
      hub: fleet.hubUrl,
      published: [
        { kind: 'root', version: 1, path: expect.stringMatching(/root\.json$/) },
        { kind: 'keyring', version: 6, path: expect.stringMatching(/keyring\.json$/) },
      ],
    });
  });
});

describe('--json on the fleet commands', () => {
  it('agents approve', async () => {
    const agent = await fleet.startAgent({ name: 'weba', labels: ['role=web'] });
    await reachStatus(agent, 'pending');
    const approved = reachStatus(agent, 'approved');
    const d = document(
      await alice([
        'agents',
        'approve',
        'weba',
        '--fingerprint',
        agent.fingerprint,
        '--yes',
        '--json',
      ]),
      'approve',
    );
    expect(d).toMatchObject({ host: 'weba', fingerprint: agent.fingerprint, approved: true });
    await approved;
  });

  it('sign (a co-signature on a request file)', async () => {
    expectOk(
      await alice([
        'deploy',
        'creds',
        'c1',
        '--hosts',
        'weba',
        '--sign-only',
        '--out',
        'req.json',
        '--yes',
      ]),
      'sign-only',
    );
    const d = document<{ signatures: string[] }>(
      await bob(['sign', 'req.json', '--yes', '--json']),
      'sign',
    );
    expect(d).toMatchObject({ app: 'creds', version: 'c1' });
    expect(d.signatures).toHaveLength(2);
  });

  it('lock release of an app that is not locked', async () => {
    expect(
      document(await alice(['lock', 'release', 'shop', '--yes', '--json']), 'release'),
    ).toEqual({
      app: 'shop',
      released: false,
      locked: false,
    });
  });

  it('rollout pause', async () => {
    const view = { id: 'r1', status: 'paused', app: 'shop', steps: [] };
    const lying = await startLyingOperatorHub({ 'rollout:control': { ok: true, data: view } });
    try {
      const d = document(
        await fleet.cli('alice', ['rollout', 'pause', 'r1', '--json'], { SERFBORT_HUB: lying.url }),
        'pause',
      );
      expect(d).toEqual({ id: 'r1', status: 'paused', rollout: view });
    } finally {
      await lying.close();
    }
  });
});
