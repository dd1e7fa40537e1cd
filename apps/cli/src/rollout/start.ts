import {
  checkStartedRollout,
  driveRollout,
  planRollout,
  plural,
  RolloutError,
  stepRequest,
} from '@serfbort/client';
import type { HostView, KeyPair, RolloutStart, Target } from '@serfbort/core';
import type { Ctx } from '../context.js';
import { requestLines } from '../deploy/render.js';
import { fleetError, usageError } from '../errors.js';
import type { HubSession } from '../hub/session.js';
import { terminalSafe } from '../output/terminal-safe.js';
import { confirmSigning } from '../prompt/confirm-signing.js';
import { finishRollout, rolloutIO } from './drive.js';
import type { RolloutFlags } from './options.js';
import { lockTtlOf, rolloutOptions } from './options.js';

export interface RolloutDeploy {
  app: string;
  version: string;
  target: Target;
  expect?: string;
  flags: RolloutFlags;
  yes?: boolean;
  json: boolean;
}

/** `deploy` with rollout options: plan against the live fleet, confirm, then drive step by step. */
export async function deployAsRollout(
  ctx: Ctx,
  hub: HubSession,
  hosts: readonly HostView[],
  keys: readonly KeyPair[],
  agentKeys: ReadonlyMap<string, Uint8Array>,
  d: RolloutDeploy,
): Promise<number> {
  const options = rolloutOptions(d.flags);
  const planned = planRollout(
    hosts.map((h) => ({ name: h.name, labels: h.labels })),
    options,
  );
  if (!planned.ok) throw usageError('BAD_PLAN', planned.error);
  const io = rolloutIO(ctx, hub, keys, agentKeys, d.json);
  const start: RolloutStart = {
    id: io.newId(),
    app: d.app,
    version: d.version,
    target: d.target,
    ...(d.expect !== undefined ? { expect: d.expect } : {}),
    kind: 'rollout',
    options,
    plan: planned.plan,
    lockTtlMs: lockTtlOf(d.flags),
  };
  if (!d.json || !d.yes) {
    const { c } = ctx.out;
    ctx.out.note(
      `About to roll out ${d.app} ${d.version} to ${plural(planned.plan.total, 'host')} in ${plural(planned.plan.steps.length, 'step')}; ` +
        `${plural(planned.plan.budget, 'failure')} tolerated, then ${options.onFailure === 'rollback' ? 'roll back' : 'halt'}:`,
    );
    for (const s of planned.plan.steps)
      ctx.out.note(terminalSafe(`  step ${s.index + 1} ${s.kind.padEnd(6)} ${s.hosts.join(', ')}`));
    ctx.out.note(
      'Each step is a request signed for exactly its hosts, released after the previous step verified. The first:',
    );
    const first = stepRequest({ ...start, steps: planned.plan.steps }, planned.plan.steps[0]!, io);
    // id and validity are fresh at each release; the rest is signed exactly as shown
    for (const line of requestLines(first, c).filter((l) => !/^ {2}(id|valid) /.test(l)))
      ctx.out.note(line);
    ctx.out.note(
      `  valid    ${Math.round(options.stepTimeoutMs / 1000)}s from each step's release`,
    );
  }
  await confirmSigning(ctx, 'Sign and release the steps?', d.yes);
  const recorded = await io.start(start);
  let view: typeof recorded;
  try {
    view = checkStartedRollout(start, recorded);
  } catch (e) {
    // nothing was signed yet: give the lock back and say why
    await io
      .control({ id: start.id, status: 'aborted', reason: 'the hub recorded another plan' })
      .catch(() => undefined);
    io.close();
    throw e instanceof RolloutError ? fleetError(e.code, e.message) : e;
  }
  return finishRollout(ctx, io, view, () => driveRollout(view, io), d.json);
}
