import type { DeploymentUpdate, DeploymentView, HostState, KeyPair } from '@serfbort/core';
import { FINAL_HOST_STATES } from '@serfbort/core';
import { signDeploy } from '@serfbort/testkit';
import { cpuMs } from '../common/proc-stats.js';
import { withTimeout } from '../common/wait.js';
import { call, type OperatorSocket } from './operator-session.js';

export interface DeployTiming {
  requestId: string;
  targeted: number;
  /** submit → every targeted host reported "accepted" (the hub stored it) */
  acceptedMs: number;
  /** submit → every signed receipt stored and verified on the hub */
  receiptsMs: number;
  /** hub CPU (user+system) from submit to the last receipt, from /proc */
  hubCpuMs: number;
  succeeded: number;
}

const ACCEPTED_OR_LATER: readonly HostState[] = ['accepted', 'running', ...FINAL_HOST_STATES];
let sequence = 0;

/**
 * One signed deploy, submitted on an operator session (which watches it: the hub
 * joins the submitter to the deployment's room) and timed until every targeted
 * host's receipt has been stored.
 */
export async function timeDeploy(
  operator: OperatorSocket,
  operatorKey: KeyPair,
  hubPid: number,
  spec: { app: string; selector: string; expected: number; limitMs: number },
): Promise<DeployTiming> {
  const version = `v1.${Date.now() % 100_000}.${sequence++}`;
  const { envelope, request } = signDeploy(
    { app: spec.app, version, target: { selector: spec.selector } },
    [operatorKey],
  );
  const accepted = new Set<string>();
  const receipts = new Set<string>();
  let succeeded = 0;
  let acceptedAt = Number.NaN;
  let done: () => void = () => undefined;
  const allReceipts = new Promise<void>((r) => (done = r));
  const t0 = performance.now();
  const onUpdate = (u: DeploymentUpdate) => {
    if (u.requestId !== request.id) return;
    const { host, state } = u.host;
    if (ACCEPTED_OR_LATER.includes(state) && !accepted.has(host)) {
      accepted.add(host);
      if (accepted.size === spec.expected) acceptedAt = performance.now();
    }
    if (u.host.receipt && !receipts.has(host)) {
      receipts.add(host);
      if (state === 'succeeded') succeeded++;
      if (receipts.size === spec.expected) done();
    }
  };
  operator.on('deploy:update', onUpdate);
  // a hub whose event loop is blocked for longer than the ping timeout drops its sockets
  let dropped: (reason: string) => void = () => undefined;
  const disconnected = new Promise<never>((_, reject) => {
    dropped = (reason) =>
      reject(
        new Error(
          `the hub dropped the operator connection (${reason}) with ${receipts.size} of ${spec.expected} receipts, ${accepted.size} accepted`,
        ),
      );
  });
  disconnected.catch(() => undefined);
  operator.once('disconnect', dropped);
  const cpu0 = cpuMs(hubPid);
  try {
    const view = await call<DeploymentView>(operator, 'deploy:submit', [envelope], spec.limitMs);
    if (view.hosts.length !== spec.expected)
      throw new Error(`the deploy targeted ${view.hosts.length} hosts, expected ${spec.expected}`);
    await withTimeout(
      Promise.race([allReceipts, disconnected]),
      spec.limitMs,
      `receipts (${receipts.size} of ${spec.expected}, ${accepted.size} accepted)`,
    );
    const receiptsMs = performance.now() - t0;
    return {
      requestId: request.id,
      targeted: view.hosts.length,
      acceptedMs: acceptedAt - t0,
      receiptsMs,
      hubCpuMs: cpuMs(hubPid) - cpu0,
      succeeded,
    };
  } finally {
    operator.off('deploy:update', onUpdate);
    operator.off('disconnect', dropped);
  }
}
