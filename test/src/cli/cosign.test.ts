import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProposalView } from '@serfbort/core';
import { fromBase64, toBase64 } from '@serfbort/core';
import { errorCode } from '@serfbort/testkit/cli';
import { call, connectOperator, expectOk as hubOk } from '@serfbort/testkit/hub';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectOk, Fleet, reachStatus } from './fleet.js';
import { startLyingOperatorHub } from './lying-operator-hub.js';

// Co-signing through the hub: alice proposes a deploy of an app whose keyring policy needs
// two signatures; bob finds it with `serfbort pending`, reviews the exact bytes and co-signs;
// the hub submits it and the agents (which verify both signatures themselves) run it.
const TOKEN = 'viewer-token-for-co-signing';
let fleet: Fleet;
const admin = (args: string[]) => fleet.cli('r1', args);
const alice = (args: string[]) => fleet.cli('alice', args);
const bob = (args: string[]) => fleet.cli('bob', args);
const viewer = (args: string[]) =>
  fleet.cli('nobody', args, { SERFBORT_PASSPHRASE: undefined, SERFBORT_VIEWER_TOKEN: TOKEN });

interface PendingJson {
  proposals: {
    requestId: string;
    version: string;
    have: number;
    missing: number;
    threshold: number;
    you?: string;
    signatures: { name?: string; genuine: boolean; counts: boolean }[];
  }[];
  unverified: { requestId: string; code: string }[];
}
interface DeployJson {
  requestId: string;
  ok: boolean;
  hosts: { host: string; status: string; verified: boolean; versionAfter: string | null }[];
}

const current = (host: string) =>
  readFileSync(join(fleet.dir, 'agents', host, 'current-creds'), 'utf8');

beforeAll(async () => {
  fleet = new Fleet();
  fleet.hubExtra = { viewerToken: TOKEN };
  for (const who of ['r1', 'alice', 'bob'])
    expectOk(await admin(['key', 'generate', '--out', `${who}.key.json`, '--name', who]), who);
  expectOk(
    await admin(['trust', 'init', '--root-key', 'r1.key.json', '--out', 'root.json']),
    'init',
  );
  for (const who of ['alice', 'bob'])
    expectOk(
      await admin([
        'trust',
        'add-operator',
        `${who}.key.json`,
        '--name',
        who,
        '--root-key',
        'r1.key.json',
      ]),
      `add ${who}`,
    );
  expectOk(
    await admin(['trust', 'set-policy', 'creds', '--threshold', '2', '--root-key', 'r1.key.json']),
    'set-policy',
  );
  await fleet.startHub();
  expectOk(await admin(['trust', 'publish', 'root.json', 'keyring.json']), 'publish');
  for (const name of ['weba', 'webb']) {
    const agent = await fleet.startAgent({ name, labels: ['role=web'] });
    await reachStatus(agent, 'pending');
    const ready = reachStatus(agent, 'approved');
    expectOk(
      await alice(['agents', 'approve', name, '--fingerprint', agent.fingerprint, '--yes']),
      `approve ${name}`,
    );
    await ready;
  }
}, 180_000);
afterAll(async () => {
  await fleet?.close();
});

describe('alice proposes, bob co-signs through the hub', () => {
  let requestId = '';

  it('alice proposes: nothing runs yet', async () => {
    const r = expectOk(
      await alice([
        'deploy',
        'creds',
        'c5',
        '--hosts',
        'weba,webb',
        '--propose',
        '--yes',
        '--json',
      ]),
      'propose',
    );
    const doc = r.json<{ requestId: string; status: string; proposed: boolean }>();
    expect(doc).toMatchObject({ status: 'open', proposed: true });
    requestId = doc.requestId;
    expect(current('weba')).toBe('v1');
  });

  it('bob lists it, verified here, as one he can sign', async () => {
    const r = expectOk(await bob(['pending', '--json']), 'pending');
    const { proposals, unverified } = r.json<PendingJson>();
    expect(unverified).toEqual([]);
    expect(proposals).toEqual([
      expect.objectContaining({
        requestId,
        version: 'c5',
        have: 1,
        missing: 1,
        threshold: 2,
        you: 'can sign',
      }),
    ]);
    expect(proposals[0]?.signatures).toEqual([
      expect.objectContaining({ name: 'alice', genuine: true, counts: true }),
    ]);
    const human = expectOk(await bob(['pending']), 'pending table');
    expect(human.stdout).toContain(requestId);
    expect(human.stdout).toContain('can sign');
  });

  it('a viewer without a key lists and shows it too, and cannot sign', async () => {
    const listed = expectOk(await viewer(['pending', '--json']), 'viewer pending');
    expect(listed.json<PendingJson>().proposals.map((p) => p.requestId)).toEqual([requestId]);
    expectOk(await viewer(['pending', 'show', requestId, '--json']), 'viewer show');
    const sign = await viewer(['pending', 'sign', requestId, '--yes']);
    expect(sign.code).not.toBe(0);
  });

  it('bob reviews the exact bytes', async () => {
    const r = expectOk(await bob(['pending', 'show', requestId]), 'show');
    expect(r.stdout).toContain('1 more needed');
    expect(r.stdout).toContain('exact signed bytes');
    expect(r.stdout).toContain(`"id":"${requestId}"`);
    expect(r.stdout).toContain('"version":"c5"');
  });

  it('bob co-signs: the hub submits it, every host runs it and its receipt verifies', async () => {
    const r = await bob(['pending', 'sign', requestId, '--yes', '--json']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const doc = r.json<DeployJson>();
    expect(doc.requestId).toBe(requestId);
    expect(doc.hosts.map((h) => [h.host, h.status, h.verified, h.versionAfter])).toEqual([
      ['weba', 'succeeded', true, 'c5'],
      ['webb', 'succeeded', true, 'c5'],
    ]);
    expect(current('webb')).toBe('c5');
    const left = expectOk(await bob(['pending', '--json']), 'pending after');
    expect(left.json<PendingJson>().proposals).toEqual([]);
    const shown = expectOk(await alice(['pending', 'show', requestId, '--json']), 'show submitted');
    expect(shown.json<{ status: string }>().status).toBe('submitted');
  });

  it('a second signature by bob is refused, nothing signed twice', async () => {
    const r = await bob(['pending', 'sign', requestId, '--yes', '--json']);
    expect(r.code).toBe(2);
    expect(errorCode(r)).toBe('ALREADY_SIGNED');
  });
});

describe('an expired proposal', () => {
  it('cannot be co-signed and never runs', async () => {
    const r = expectOk(
      await alice([
        'deploy',
        'creds',
        'c6',
        '--hosts',
        'weba',
        '--propose',
        '--expires',
        '2s',
        '--yes',
        '--json',
      ]),
      'propose',
    );
    const { requestId } = r.json<{ requestId: string }>();
    await new Promise((done) => setTimeout(done, 2_500));
    expect(
      expectOk(await bob(['pending', '--json']), 'pending').json<PendingJson>().proposals,
    ).toEqual([]);
    const sign = await bob(['pending', 'sign', requestId, '--yes', '--json']);
    expect(sign.code).toBe(1);
    expect(errorCode(sign)).toBe('EXPIRED');
    expect(current('weba')).toBe('c5');
  });
});

describe('withdrawing', () => {
  it('takes it off the list; it can no longer be co-signed', async () => {
    const r = expectOk(
      await alice(['deploy', 'creds', 'c7', '--hosts', 'weba', '--propose', '--yes', '--json']),
      'propose',
    );
    const { requestId } = r.json<{ requestId: string }>();
    const w = expectOk(await alice(['pending', 'withdraw', requestId, '--json']), 'withdraw');
    expect(w.json()).toEqual({ requestId, status: 'withdrawn' });
    const sign = await bob(['pending', 'sign', requestId, '--yes', '--json']);
    expect(sign.code).toBe(2);
    expect(errorCode(sign)).toBe('CONFLICT');
  });
});

describe('a hub that tampers with a proposal', () => {
  it('is caught before anything is shown or signed (BAD_SIGNATURE)', async () => {
    const r = expectOk(
      await alice(['deploy', 'creds', 'c8', '--hosts', 'weba', '--propose', '--yes', '--json']),
      'propose',
    );
    const { requestId } = r.json<{ requestId: string }>();
    const honest = expectOk(await viewer(['pending', 'show', requestId, '--json']), 'show');
    expect(honest.json<{ version: string }>().version).toBe('c8');
    // the proposal as the real hub stores it, with its payload edited to another version
    const view = await fetchProposal(requestId);
    const text = new TextDecoder().decode(fromBase64(view.envelope.payload));
    const payload = toBase64(new TextEncoder().encode(text.replace('"c8"', '"c9"')));
    const root = JSON.parse(readFileSync(join(fleet.dir, 'root.json'), 'utf8'));
    const keyring = JSON.parse(readFileSync(join(fleet.dir, 'keyring.json'), 'utf8'));
    const tampered: ProposalView = { ...view, envelope: { ...view.envelope, payload } };
    const lying = await startLyingOperatorHub({
      'trust:get': { ok: true, data: { roots: [root], keyring } },
      'agents:keys': { ok: true, data: [] },
      'proposal:get': { ok: true, data: tampered },
      'proposal:list': { ok: true, data: [tampered] },
    });
    try {
      const env = { SERFBORT_HUB: lying.url };
      const sign = await fleet.cli('bob', ['pending', 'sign', requestId, '--yes', '--json'], env);
      expect(sign.code).toBe(1);
      expect(errorCode(sign)).toBe('BAD_SIGNATURE');
      const list = expectOk(await fleet.cli('bob', ['pending', '--json'], env), 'pending');
      expect(list.json<PendingJson>()).toEqual({
        proposals: [],
        unverified: [{ requestId, code: 'BAD_SIGNATURE', detail: expect.any(String) }],
      });
    } finally {
      await lying.close();
    }
  });
});

/** The proposal exactly as the hub serves it, read with a real operator connection. */
async function fetchProposal(requestId: string): Promise<ProposalView> {
  const socket = await connectOperator(fleet.hubUrl, { viewerToken: TOKEN });
  try {
    return hubOk(await call<ProposalView>(socket, 'proposal:get', { requestId }));
  } finally {
    socket.disconnect();
  }
}
