import type {
  DeploymentView,
  DeployRequest,
  Envelope,
  HostProgress,
  Receipt,
  RolloutControl,
  RolloutStart,
  RolloutView,
} from '@serfbort/core';
import { openEnvelope, PAYLOAD_TYPES, sha256Hex, signerFor, signPayload } from '@serfbort/core';
import { describe, expect, it } from 'vitest';
import { key, NOW, verifier } from '../testing/fixtures.js';
import type { RolloutEvent, RolloutIO } from './driver.js';
import { driveRollout, judgeReleasedSteps, stepRequest } from './driver.js';
import { planRollout } from './plan.js';

type Behaviour = 'ok' | 'fail' | 'silent' | 'reject' | 'forged';

/**
 * A hub and its agents in memory: agents sign real receipts with their own keys, so the
 * driver's verification is the real one. What each host does is scripted.
 */
class SimulatedFleet implements RolloutIO {
  readonly operator = key(1);
  readonly signerIds = [this.operator.keyId];
  readonly verifier = verifier;
  readonly agentKeys = new Map<string, Uint8Array>();
  readonly hostKeys = new Map<string, ReturnType<typeof key>>();
  readonly versions = new Map<string, string>();
  readonly deployments = new Map<string, DeploymentView>();
  readonly signed: DeployRequest[] = [];
  readonly events: RolloutEvent[] = [];
  readonly rollouts = new Map<string, RolloutView>();
  clock = NOW;
  ids = 0;

  constructor(
    hosts: string[],
    readonly behaviour: (host: string, version: string) => Behaviour = () => 'ok',
    readonly offline = new Set<string>(),
  ) {
    for (const [i, h] of hosts.entries()) {
      const k = key(50 + i);
      this.hostKeys.set(h, k);
      this.agentKeys.set(h, k.publicKey);
      this.versions.set(h, 'v1');
    }
  }

  now = () => this.clock;
  newId = () => `id-${String(++this.ids).padStart(6, '0')}`;
  async sign(request: DeployRequest): Promise<Envelope> {
    this.signed.push(request);
    return signPayload(PAYLOAD_TYPES.deploy, request, [signerFor(this.operator)]);
  }

  async submit(envelope: Envelope): Promise<DeploymentView> {
    const opened = openEnvelope(envelope, PAYLOAD_TYPES.deploy);
    if (!opened.ok) throw new Error('bad envelope');
    const req = opened.value.payload as DeployRequest;
    const digest = sha256Hex(opened.value.payloadBytes);
    const hosts = 'hosts' in req.target ? req.target.hosts : [];
    const progress: HostProgress[] = hosts.map((host) => this.answer(host, req, digest));
    const view: DeploymentView = {
      requestId: req.id,
      app: req.app,
      version: req.version,
      target: req.target,
      signers: req.signers,
      signerNames: ['alice'],
      issuedAt: req.issuedAt,
      expiresAt: req.expiresAt,
      submittedAt: this.clock,
      ...(req.rollout ? { rolloutId: req.rollout.id } : {}),
      envelope,
      hosts: progress,
    };
    this.deployments.set(req.id, view);
    const r = req.rollout && this.rollouts.get(req.rollout.id);
    if (r && req.rollout)
      r.steps = r.steps.map((s, i) => (i === req.rollout!.step ? { ...s, requestId: req.id } : s));
    return view;
  }

  private answer(host: string, req: DeployRequest, digest: string): HostProgress {
    const b = this.offline.has(host) ? 'silent' : this.behaviour(host, req.version);
    if (b === 'silent') return { host, state: 'delivered', updatedAt: this.clock };
    const before = this.versions.get(host) ?? null;
    const status = b === 'reject' ? 'rejected' : b === 'fail' ? 'failed' : 'succeeded';
    if (b === 'ok' || b === 'forged') this.versions.set(host, req.version);
    const receipt: Receipt = {
      type: 'receipt',
      requestId: req.id,
      requestDigest: digest,
      host,
      app: req.app,
      version: req.version,
      status,
      ...(b === 'fail'
        ? { reason: 'HEALTH_CHECK_FAILED' }
        : b === 'reject'
          ? { reason: 'STALE' }
          : {}),
      exitCode: b === 'reject' ? null : b === 'fail' ? 1 : 0,
      versionBefore: before,
      versionAfter: this.versions.get(host) ?? null,
      startedAt: this.clock,
      finishedAt: this.clock,
    };
    // a forged receipt: signed by some key that is not the host's
    const signer = b === 'forged' ? key(99) : this.hostKeys.get(host)!;
    return {
      host,
      state: status,
      updatedAt: this.clock,
      receipt: signPayload(PAYLOAD_TYPES.receipt, receipt, [signerFor(signer)]),
    };
  }

  async deployment(id: string) {
    return this.deployments.get(id) ?? null;
  }
  async online(hosts: readonly string[]) {
    return new Set(hosts.filter((h) => !this.offline.has(h)));
  }
  async awaitStep(requestId: string, _hosts: readonly string[], deadline: number) {
    this.clock = Math.max(this.clock, deadline);
    return new Map(this.deployments.get(requestId)!.hosts.map((h) => [h.host, h]));
  }
  async start(spec: RolloutStart): Promise<RolloutView> {
    const view: RolloutView = {
      id: spec.id,
      app: spec.app,
      version: spec.version,
      target: spec.target,
      kind: spec.kind,
      ...(spec.rollbackOf ? { rollbackOf: spec.rollbackOf } : {}),
      options: spec.options,
      budget: spec.plan.budget,
      total: spec.plan.total,
      lockTtlMs: spec.lockTtlMs,
      steps: spec.plan.steps.map((s) => ({ ...s })),
      status: 'running',
      ownerKeyId: this.operator.keyId,
      ownerName: 'alice',
      createdAt: this.clock,
      updatedAt: this.clock,
    };
    this.rollouts.set(view.id, view);
    return view;
  }
  async control(c: RolloutControl): Promise<RolloutView> {
    const view = this.rollouts.get(c.id)!;
    if (c.status) view.status = c.status;
    if (c.reason) view.reason = c.reason;
    return { ...view };
  }
  latest = (id: string) => this.rollouts.get(id);
  async idle(ms: number) {
    this.clock += ms;
  }
  report(e: RolloutEvent) {
    this.events.push(e);
  }
}

const HOSTS = ['h01', 'h02', 'h03', 'h04', 'h05', 'h06', 'h07', 'h08', 'h09', 'h10'];

async function startOn(
  fleet: SimulatedFleet,
  options: Partial<RolloutStart['options']> = {},
  hosts = HOSTS,
) {
  const opts: RolloutStart['options'] = {
    batch: { count: 3 },
    waitMs: 30_000,
    maxFailures: { count: 0 },
    onFailure: 'halt',
    stepTimeoutMs: 60_000,
    ...options,
  };
  const planned = planRollout(
    hosts.map((name) => ({
      name,
      labels: (name === 'h01' ? { canary: 'true' } : {}) as Record<string, string>,
    })),
    opts,
  );
  if (!planned.ok) throw new Error(planned.error);
  return fleet.start({
    id: fleet.newId(),
    app: 'shop',
    version: 'v2',
    target: { selector: 'role=web' },
    kind: 'rollout',
    options: opts,
    plan: planned.plan,
    lockTtlMs: 60_000,
  });
}

const targets = (f: SimulatedFleet) =>
  f.signed.map((r) => ('hosts' in r.target ? r.target.hosts.join(',') : r.target.selector));

describe('driveRollout', () => {
  it('signs one request per step, for exactly that step, waiting between steps', async () => {
    const fleet = new SimulatedFleet(HOSTS);
    const view = await startOn(fleet, { canary: { selector: 'canary=true' } });
    const out = await driveRollout(view, fleet);
    expect(out.status).toBe('succeeded');
    expect(targets(fleet)).toEqual(['h01', 'h02,h03,h04', 'h05,h06,h07', 'h08,h09,h10']);
    expect(fleet.signed.map((r) => r.rollout)).toEqual(
      [0, 1, 2, 3].map((step) => ({ id: view.id, step, steps: 4 })),
    );
    // every step request expires at its deadline, so a late host cannot run it
    for (const r of fleet.signed) expect(r.expiresAt - r.issuedAt).toBe(60_000);
    expect(fleet.events.filter((e) => e.type === 'waiting')).toHaveLength(3);
    expect(new Set(HOSTS.map((h) => fleet.versions.get(h)))).toEqual(new Set(['v2']));
  });

  it('halts at the first failure beyond the budget and never signs the next step', async () => {
    const fleet = new SimulatedFleet(HOSTS, (h, v) => (h === 'h05' && v === 'v2' ? 'fail' : 'ok'));
    const out = await driveRollout(await startOn(fleet), fleet);
    expect(out.status).toBe('halted');
    expect(out.reason).toBe('1 failure after step 2 of 4; the budget is 0');
    expect(targets(fleet)).toEqual(['h01,h02,h03', 'h04,h05,h06']);
    expect(out.results.find((r) => r.host === 'h05')).toMatchObject({
      result: 'failed',
      reason: 'HEALTH_CHECK_FAILED',
      ran: true,
    });
    expect(fleet.versions.get('h07')).toBe('v1');
  });

  it('the budget is exact at the edge: n failures pass, n+1 halt', async () => {
    const failing = new Set(['h02', 'h05']);
    const at = new SimulatedFleet(HOSTS, (h) => (failing.has(h) ? 'fail' : 'ok'));
    expect((await driveRollout(await startOn(at, { maxFailures: { count: 2 } }), at)).status).toBe(
      'succeeded',
    );
    const over = new SimulatedFleet(HOSTS, (h) => (failing.has(h) ? 'fail' : 'ok'));
    const out = await driveRollout(await startOn(over, { maxFailures: { count: 1 } }), over);
    expect(out.status).toBe('halted');
    expect(targets(over)).toHaveLength(2);
    // 20% of 10 hosts is exactly 2
    const pct = new SimulatedFleet(HOSTS, (h) => (failing.has(h) ? 'fail' : 'ok'));
    expect(
      (await driveRollout(await startOn(pct, { maxFailures: { percent: 20 } }), pct)).status,
    ).toBe('succeeded');
  });

  it('silent, offline, rejected and unverifiable hosts all spend the budget', async () => {
    const cases: [Behaviour | 'offline', string][] = [
      ['silent', 'silent'],
      ['offline', 'offline-pending'],
      ['reject', 'rejected'],
      ['forged', 'unverified'],
    ];
    for (const [behaviour, result] of cases) {
      const fleet = new SimulatedFleet(
        HOSTS,
        (h) => (h === 'h02' && behaviour !== 'offline' ? behaviour : 'ok'),
        new Set(behaviour === 'offline' ? ['h02'] : []),
      );
      const out = await driveRollout(await startOn(fleet), fleet);
      expect(out.status, behaviour).toBe('halted');
      expect(out.results.find((r) => r.host === 'h02')?.result).toBe(result);
      expect(targets(fleet)).toHaveLength(1);
    }
  });

  it('rolls back every host that ran, to its own version-before, with new requests', async () => {
    const fleet = new SimulatedFleet(HOSTS, (h, v) => (h === 'h05' && v === 'v2' ? 'fail' : 'ok'));
    fleet.versions.set('h02', 'v0'); // one host was behind: it goes back to v0, not v1
    const out = await driveRollout(await startOn(fleet, { onFailure: 'rollback' }), fleet);
    expect(out.status).toBe('halted');
    const back = out.rollback!;
    expect(back.status).toBe('succeeded');
    expect(back.rollout.kind).toBe('rollback');
    expect(back.rollout.steps.map((s) => [s.version, s.hosts])).toEqual([
      ['v0', ['h02']],
      ['v1', ['h01', 'h03', 'h04', 'h05', 'h06']],
    ]);
    expect(fleet.versions.get('h02')).toBe('v0');
    for (const h of ['h01', 'h03', 'h04', 'h05', 'h06']) expect(fleet.versions.get(h)).toBe('v1');
    // rollback requests are new: fresh ids, never a replay of a rollout step
    const ids = fleet.signed.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(fleet.rollouts.get(out.rollout.id)?.status).toBe('rolled-back');
  });

  it('stops before the next step when someone paused and then aborted it', async () => {
    const fleet = new SimulatedFleet(HOSTS);
    const view = await startOn(fleet);
    let waits = 0;
    fleet.idle = async (ms: number) => {
      fleet.clock += ms;
      if (++waits === 1) fleet.rollouts.get(view.id)!.status = 'paused';
      if (waits === 5) fleet.rollouts.get(view.id)!.status = 'aborted';
    };
    const out = await driveRollout(view, fleet);
    expect(out.status).toBe('aborted');
    expect(targets(fleet)).toEqual(['h01,h02,h03']);
    expect(fleet.events.some((e) => e.type === 'paused')).toBe(true);
  });

  it('a resumed rollout judges released steps from their receipts and releases only the rest', async () => {
    const fleet = new SimulatedFleet(HOSTS);
    const view = await startOn(fleet);
    // a first client released step 1, then died
    const first = await fleet.sign({
      ...(await import('./driver.js')).stepRequest(view, view.steps[0]!, fleet),
    });
    await fleet.submit(first);
    const out = await driveRollout(fleet.rollouts.get(view.id)!, fleet);
    expect(out.status).toBe('succeeded');
    expect(out.results).toHaveLength(10);
    expect(targets(fleet)).toEqual(['h01,h02,h03', 'h04,h05,h06', 'h07,h08,h09', 'h10']);
    expect(fleet.events.filter((e) => e.type === 'step-resumed')).toHaveLength(1);
  });

  it("refuses a step request the hub swapped for one that is not this step's", async () => {
    const fleet = new SimulatedFleet(HOSTS);
    const view = await startOn(fleet);
    const other = await fleet.sign({
      type: 'deploy',
      id: 'swapped-request',
      app: 'shop',
      version: 'v2',
      target: { hosts: ['h01', 'h02', 'h03', 'h04'] },
      issuedAt: NOW,
      expiresAt: NOW + 60_000,
      signers: fleet.signerIds,
      rollout: { id: view.id, step: 0, steps: 4 },
    });
    await fleet.submit(other);
    fleet.rollouts.get(view.id)!.steps[0]!.requestId = 'swapped-request';
    await expect(judgeReleasedSteps(fleet.rollouts.get(view.id)!, fleet)).rejects.toThrow(
      /does not belong/,
    );
  });

  it('an abort that lands between the check and the release stops the rollout cleanly', async () => {
    const fleet = new SimulatedFleet(HOSTS);
    const view = await startOn(fleet);
    const submit = fleet.submit.bind(fleet);
    let calls = 0;
    fleet.submit = async (envelope: Envelope) => {
      if (++calls === 2) {
        fleet.rollouts.get(view.id)!.status = 'aborted';
        throw new Error('CONFLICT: rollout is aborted');
      }
      return submit(envelope);
    };
    const out = await driveRollout(view, fleet);
    expect(out.status).toBe('aborted');
    expect(out.results.map((r) => r.host)).toEqual(['h01', 'h02', 'h03']);
    // any other refusal is an error the caller sees
    const other = new SimulatedFleet(HOSTS);
    other.submit = async () => {
      throw new Error('UNAVAILABLE');
    };
    await expect(driveRollout(await startOn(other), other)).rejects.toThrow('UNAVAILABLE');
  });

  it("refuses a released step whose version is not the rollout's, and a hub that records another plan", async () => {
    const fleet = new SimulatedFleet(HOSTS);
    const view = await startOn(fleet);
    await fleet.submit(
      await fleet.sign(stepRequest({ ...view, version: 'v666' }, view.steps[0]!, fleet)),
    );
    await expect(judgeReleasedSteps(fleet.rollouts.get(view.id)!, fleet)).rejects.toThrow(
      /does not belong/,
    );

    const hostile = new SimulatedFleet(HOSTS, (h, v) =>
      h === 'h02' && v === 'v2' ? 'fail' : 'ok',
    );
    const start = hostile.start.bind(hostile);
    hostile.start = async (spec) => {
      const recorded = await start(spec);
      // the hub "remembers" a rollback to another version
      if (spec.kind === 'rollback')
        recorded.steps = recorded.steps.map((s) => ({ ...s, version: 'v0-evil' }));
      return recorded;
    };
    const out = driveRollout(await startOn(hostile, { onFailure: 'rollback' }), hostile);
    await expect(out).rejects.toThrow(/another plan/);
    expect(hostile.signed.filter((r) => r.version === 'v0-evil')).toEqual([]);
  });
});
