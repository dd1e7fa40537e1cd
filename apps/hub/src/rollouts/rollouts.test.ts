import type { DeploymentView, Envelope, LockView, RolloutStart, RolloutView } from '@serfbort/core';
import { PAYLOAD_TYPES, signPayload } from '@serfbort/core';
import { nodeSigner } from '@serfbort/node';
import { haltAtFirstFailure, key, signDeploy, signKeyring, signRoot } from '@serfbort/testkit';
import type { OperatorClient } from '@serfbort/testkit/hub';
import {
  call,
  connectAgent,
  connectOperator,
  expectOk,
  nextEvent,
  signApproval,
} from '@serfbort/testkit/hub';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestHub } from '../testing/test-hub.js';
import { startTestHub } from '../testing/test-hub.js';

const rootKey = key(1);
const alice = key(2);
const bob = key(3);
const carol = key(4); // may deploy only "blog"
const root = signRoot({ keys: [rootKey] }, [rootKey]);
const keyring = signKeyring(
  {
    operators: [
      { name: 'alice', key: alice },
      { name: 'bob', key: bob },
      { name: 'carol', key: carol, apps: ['blog'] },
    ],
  },
  [rootKey],
);
const HOSTS = ['h1', 'h2', 'h3', 'h4'];
const VIEWER_TOKEN = 'viewer-token-for-rollout-tests';
let hub: TestHub;
let op: OperatorClient;

let n = 0;
const newId = () => `rollout-${Date.now().toString(36)}-${++n}`;

function plan(app: string, overrides: Partial<RolloutStart> = {}): RolloutStart {
  return {
    id: newId(),
    app,
    version: 'v2',
    target: { selector: 'role=web' },
    kind: 'rollout',
    options: { ...haltAtFirstFailure(), batch: { count: 2 } },
    plan: {
      steps: [
        { index: 0, kind: 'batch', hosts: ['h1', 'h2'] },
        { index: 1, kind: 'batch', hosts: ['h3', 'h4'] },
      ],
      total: 4,
      budget: 0,
    },
    lockTtlMs: 60_000,
    ...overrides,
  };
}

const step = (r: RolloutStart, index: number, hosts = r.plan.steps[index]!.hosts) =>
  signDeploy(
    {
      app: r.app,
      version: r.version,
      target: { hosts },
      rollout: { id: r.id, step: index, steps: r.plan.steps.length },
    },
    [alice],
  );

function release(signer: typeof alice, app: string, rolloutId: string, at = Date.now()): Envelope {
  return signPayload(PAYLOAD_TYPES.lockRelease, { type: 'lock-release', app, rolloutId, at }, [
    nodeSigner(signer),
  ]);
}

const errorOf = async (p: Promise<{ ok: boolean; error?: { code: string; message: string } }>) => {
  const ack = await p;
  if (ack.ok) throw new Error('expected a refusal');
  return ack.error!;
};

beforeAll(async () => {
  hub = await startTestHub({ trust: { root, keyring }, viewerToken: VIEWER_TOKEN });
  op = await connectOperator(hub.url, { key: alice });
  for (const [i, name] of HOSTS.entries()) {
    const k = key(100 + i);
    const a = await connectAgent(hub.url, {
      key: k,
      name,
      labels: { role: 'web' },
      apps: ['shop', 'blog'],
    });
    expectOk(await call(op, 'agents:approve', signApproval(alice, k, name)));
    a.socket.disconnect();
  }
});
afterAll(async () => {
  op?.disconnect();
  await hub?.dispose();
});

describe('rollout locks', () => {
  it('one rollout per app: a second is refused with the owner and age, and so is a plain deploy', async () => {
    const first = plan('shop');
    const view = expectOk(await call<RolloutView>(op, 'rollout:start', first));
    expect(view.status).toBe('running');
    expect(view.lock).toMatchObject({ app: 'shop', rolloutId: first.id, ownerName: 'alice' });

    const bobOp = await connectOperator(hub.url, { key: bob });
    const second = await errorOf(call(bobOp, 'rollout:start', plan('shop')));
    expect(second.code).toBe('LOCKED');
    expect(second.message).toContain(`rollout ${first.id} of alice`);
    expect(second.message).toMatch(/taken \d+s ago/);

    const plain = signDeploy({ app: 'shop', version: 'v9', target: { hosts: ['h1'] } }, [bob]);
    expect((await errorOf(call(bobOp, 'deploy:submit', plain.envelope))).code).toBe('LOCKED');
    // other apps are not locked
    expectOk(
      await call(
        bobOp,
        'deploy:submit',
        signDeploy({ app: 'blog', version: 'v1', target: { hosts: ['h1'] } }, [bob]).envelope,
      ),
    );
    const status = expectOk(await call<LockView | null>(bobOp, 'lock:status', { app: 'shop' }));
    expect(status?.rolloutId).toBe(first.id);

    expectOk(await call(op, 'rollout:control', { id: first.id, status: 'succeeded' }));
    expect(expectOk(await call(bobOp, 'lock:status', { app: 'shop' }))).toBeNull();
    bobOp.disconnect();
  });

  it('records each step, and refuses steps that do not match the plan', async () => {
    const r = plan('shop');
    expectOk(await call(op, 'rollout:start', r));
    const wrongHosts = step(r, 1, ['h1', 'h3']);
    expect((await errorOf(call(op, 'deploy:submit', wrongHosts.envelope))).code).toBe(
      'BAD_REQUEST',
    );
    const unknown = step({ ...r, id: newId() }, 0);
    expect((await errorOf(call(op, 'deploy:submit', unknown.envelope))).code).toBe('NOT_FOUND');

    const changed = nextEvent<RolloutView>(op, 'rollout:changed');
    const s0 = step(r, 0);
    const view = expectOk(await call<DeploymentView>(op, 'deploy:submit', s0.envelope));
    expect(view.rolloutId).toBe(r.id);
    expect((await changed).steps[0]?.requestId).toBe(s0.request.id);
    const again = step(r, 0);
    expect((await errorOf(call(op, 'deploy:submit', again.envelope))).code).toBe('CONFLICT');

    expectOk(await call(op, 'rollout:control', { id: r.id, status: 'paused' }));
    expect((await errorOf(call(op, 'deploy:submit', step(r, 1).envelope))).code).toBe('CONFLICT');
    expectOk(await call(op, 'rollout:control', { id: r.id, status: 'running' }));
    expectOk(
      await call(op, 'rollout:control', { id: r.id, status: 'halted', reason: 'h2 failed' }),
    );
    const ended = expectOk(await call<RolloutView>(op, 'rollout:watch', { id: r.id }));
    expect(ended).toMatchObject({ status: 'halted', reason: 'h2 failed' });
    expect(ended.lock).toBeUndefined();
    // the next step of a halted rollout is never accepted
    expect((await errorOf(call(op, 'deploy:submit', step(r, 1).envelope))).code).toBe('CONFLICT');
    expect((await errorOf(call(op, 'rollout:control', { id: r.id, status: 'running' }))).code).toBe(
      'CONFLICT',
    );
  });

  it('a rollback takes over the lock of the rollout it undoes', async () => {
    const r = plan('shop');
    expectOk(await call(op, 'rollout:start', r));
    const rb = plan('shop', {
      kind: 'rollback',
      rollbackOf: r.id,
      plan: {
        steps: [{ index: 0, kind: 'rollback', hosts: ['h1'], version: 'v1' }],
        total: 1,
        budget: 1,
      },
    });
    const view = expectOk(await call<RolloutView>(op, 'rollout:start', rb));
    expect(view.lock?.rolloutId).toBe(rb.id);
    const original = expectOk(await call<RolloutView>(op, 'rollout:watch', { id: r.id }));
    expect(original.rolledBackBy).toBe(rb.id);
    expectOk(await call(op, 'rollout:control', { id: rb.id, status: 'succeeded' }));
    expectOk(await call(op, 'rollout:control', { id: r.id, status: 'rolled-back' }));
  });

  it('an expired lock frees itself; the stalled rollout reads as expired and can be resumed', async () => {
    const r = plan('shop', { lockTtlMs: 5_000 });
    expectOk(await call(op, 'rollout:start', r));
    await new Promise((res) => setTimeout(res, 5_300));
    const stalled = expectOk(await call<RolloutView>(op, 'rollout:watch', { id: r.id }));
    expect(stalled.status).toBe('expired');
    expect(expectOk(await call(op, 'lock:status', { app: 'shop' }))).toBeNull();
    const bobOp = await connectOperator(hub.url, { key: bob });
    const resumed = expectOk(
      await call<RolloutView>(bobOp, 'rollout:resume', { id: r.id, lockTtlMs: 60_000 }),
    );
    expect(resumed.status).toBe('running');
    expect(resumed.lock?.ownerName).toBe('bob');
    expectOk(await call(bobOp, 'rollout:control', { id: r.id, status: 'aborted' }));
    bobOp.disconnect();
  });

  it('releasing a lock needs a fresh signature by the owner or an operator allowed the app', async () => {
    const r = plan('shop');
    expectOk(await call(op, 'rollout:start', r));
    const carolOp = await connectOperator(hub.url, { key: carol });
    expect((await errorOf(call(carolOp, 'lock:release', release(carol, 'shop', r.id)))).code).toBe(
      'FORBIDDEN',
    );
    const viewer = await connectOperator(hub.url, null);
    expect((await errorOf(call(viewer, 'lock:release', release(alice, 'shop', r.id)))).code).toBe(
      'UNAUTHENTICATED',
    );
    const stale = release(alice, 'shop', r.id, Date.now() - 10 * 60_000);
    expect((await errorOf(call(op, 'lock:release', stale))).code).toBe('EXPIRED');
    const tampered = release(alice, 'shop', r.id);
    tampered.signatures[0]!.sig = release(alice, 'shop', 'another-rollout').signatures[0]!.sig;
    expect((await errorOf(call(op, 'lock:release', tampered))).code).toBe('BAD_SIGNATURE');
    const outsider = release(key(99), 'shop', r.id);
    expect((await errorOf(call(op, 'lock:release', outsider))).code).toBe('UNKNOWN_SIGNER');
    expect(
      (await errorOf(call(op, 'lock:release', release(alice, 'shop', 'no-such-rollout')))).code,
    ).toBe('NOT_FOUND');
    const changed = nextEvent<RolloutView>(op, 'rollout:changed');
    // bob is not the owner but may deploy shop
    expect(expectOk(await call(op, 'lock:release', release(bob, 'shop', r.id)))).toEqual({
      app: 'shop',
      rolloutId: r.id,
    });
    expect(await changed).toMatchObject({
      id: r.id,
      status: 'aborted',
      reason: 'lock released by bob',
    });
    expect(expectOk(await call(op, 'lock:status', { app: 'shop' }))).toBeNull();
    carolOp.disconnect();
    viewer.disconnect();
  });

  it('refuses plans that are not plans', async () => {
    const twice = plan('shop', {
      plan: {
        steps: [
          { index: 0, kind: 'batch', hosts: ['h1'] },
          { index: 1, kind: 'batch', hosts: ['h1'] },
        ],
        total: 2,
        budget: 0,
      },
    });
    expect((await errorOf(call(op, 'rollout:start', twice))).message).toContain(
      'h1 is in two steps',
    );
    const carolOp = await connectOperator(hub.url, { key: carol });
    expect((await errorOf(call(carolOp, 'rollout:start', plan('shop')))).code).toBe('FORBIDDEN');
    expect((await errorOf(call(op, 'rollout:start', { ...plan('shop'), lockTtlMs: 1 }))).code).toBe(
      'BAD_REQUEST',
    );
    carolOp.disconnect();
  });

  it('the read-only API names every host by outcome', async () => {
    const r = plan('shop');
    expectOk(await call(op, 'rollout:start', r));
    expectOk(await call(op, 'deploy:submit', step(r, 0).envelope));
    const get = async (path: string, token = VIEWER_TOKEN) =>
      fetch(`${hub.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    expect((await get(`/api/rollouts/${r.id}`, 'wrong')).status).toBe(401);
    const body = (await (await get(`/api/rollouts/${r.id}`)).json()) as RolloutView & {
      hosts: Record<string, string[]>;
    };
    expect(body.status).toBe('running');
    // the agents of this file are offline: the first step waits for them until its deadline
    expect(body.hosts).toMatchObject({
      expected: ['h1', 'h2', 'h3', 'h4'],
      offlinePending: ['h1', 'h2'],
      notReleased: ['h3', 'h4'],
      succeeded: [],
    });
    const listed = (await (await get('/api/rollouts?app=shop&limit=1')).json()) as RolloutView[];
    expect(listed.map((v) => v.id)).toEqual([r.id]);
    expect(((await (await get('/api/locks/shop')).json()) as LockView).rolloutId).toBe(r.id);
    expect((await get('/api/rollouts/nothing-here')).status).toBe(404);
    expectOk(await call(op, 'rollout:control', { id: r.id, status: 'aborted' }));
    expect(await (await get('/api/locks/shop')).json()).toBeNull();
  });
});
