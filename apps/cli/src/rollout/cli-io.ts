import { randomBytes } from 'node:crypto';
import type { RolloutEvent, RolloutIO } from '@serfbort/client';
import type { HostProgress, KeyPair, RolloutView } from '@serfbort/core';
import { FINAL_ROLLOUT_STATUSES, randomId } from '@serfbort/core';
import { nodeVerifier } from '@serfbort/node';
import type { Ctx } from '../context.js';
import { signRequest } from '../deploy/request.js';
import { watchDeployment } from '../deploy/watch.js';
import { CliError } from '../errors.js';
import type { HubSession } from '../hub/session.js';

/** ms after a step's deadline to still take late updates (the hub marks leftovers expired) */
const DEADLINE_GRACE_MS = 2_000;

/**
 * The rollout driver's world in a terminal: the operator's key files sign, the hub
 * session carries. Renews the lock of the rollout being driven while it runs.
 */
export class CliRolloutIO implements RolloutIO {
  readonly verifier = nodeVerifier;
  readonly signerIds: string[];
  private readonly views = new Map<string, RolloutView>();
  private wake: (() => void) | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private driving: RolloutView | undefined;

  constructor(
    private readonly ctx: Ctx,
    private readonly hub: HubSession,
    private readonly keys: readonly KeyPair[],
    readonly agentKeys: ReadonlyMap<string, Uint8Array>,
    private readonly onEvent: (e: RolloutEvent) => void,
  ) {
    this.signerIds = [...new Set(keys.map((k) => k.keyId))];
    hub.on('rollout:changed', (view) => {
      this.views.set(view.id, view);
      this.wake?.();
    });
    // back from a hub restart: wake the driver so it looks at the stored state again
    hub.events.on('reconnected', () => this.wake?.());
  }

  /** The operator stops driving (Ctrl-C): no further step until someone resumes it. */
  async pause(id: string, reason: string): Promise<void> {
    await this.hub.rolloutControl({ id, status: 'paused', reason });
  }

  now = (): number => this.ctx.now();
  newId = (): string => randomId(randomBytes);
  sign = async (request: Parameters<RolloutIO['sign']>[0]) => signRequest(request, this.keys);
  submit = (envelope: Parameters<RolloutIO['submit']>[0]) => this.hub.submit(envelope);

  async deployment(requestId: string) {
    try {
      return await this.hub.watch(requestId);
    } catch (e) {
      if (e instanceof CliError && e.code === 'NOT_FOUND') return null;
      throw e;
    }
  }

  async online(hosts: readonly string[]): Promise<ReadonlySet<string>> {
    const views = await this.hub.hosts({ target: { hosts: [...hosts] } });
    return new Set(views.filter((h) => h.state === 'online').map((h) => h.name));
  }

  async awaitStep(
    requestId: string,
    hosts: readonly string[],
    deadline: number,
  ): Promise<ReadonlyMap<string, HostProgress>> {
    const result = await watchDeployment(this.hub, requestId, {
      // every host of the step: one that does not answer by the deadline is counted, not waited on
      waitFor: new Set(hosts),
      graceMs: 0,
      timeoutMs: Math.max(0, deadline - this.now()) + DEADLINE_GRACE_MS,
      onChange: () => {},
    });
    if (result.stopped === 'hub-lost')
      throw new CliError(
        1,
        'HUB_LOST',
        'lost the hub while waiting for a step; resume it with serfbort rollout resume',
      );
    return result.hosts;
  }

  async start(spec: Parameters<RolloutIO['start']>[0]) {
    return this.drive(await this.hub.rolloutStart(spec));
  }

  async control(c: Parameters<RolloutIO['control']>[0]) {
    const view = await this.hub.rolloutControl(c);
    this.views.set(view.id, view);
    return view;
  }

  latest = (id: string) => this.views.get(id);

  idle(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const self = this;
      function done() {
        clearTimeout(timer);
        if (self.wake === done) self.wake = undefined;
        resolve();
      }
      this.wake = done;
    });
  }

  report = (e: RolloutEvent): void => this.onEvent(e);

  /** From now on this process drives the rollout: keep its lock alive. */
  drive(view: RolloutView): RolloutView {
    this.views.set(view.id, view);
    this.driving = view;
    clearInterval(this.heartbeat);
    const every = Math.max(1_000, Math.floor(view.lockTtlMs / 3));
    this.heartbeat = setInterval(() => {
      const current = this.driving && (this.views.get(this.driving.id) ?? this.driving);
      if (!current || FINAL_ROLLOUT_STATUSES.includes(current.status)) return;
      this.hub.rolloutControl({ id: current.id }).catch((e: unknown) => {
        this.ctx.out.warn(
          `could not renew the lock of ${current.id}: ${e instanceof Error ? e.message : String(e)}`,
        );
      });
    }, every);
    this.heartbeat.unref();
    return view;
  }

  close(): void {
    clearInterval(this.heartbeat);
  }
}
