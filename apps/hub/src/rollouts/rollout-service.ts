import type { DeployRequest, RolloutControl, RolloutStart, RolloutView } from '@serfbort/core';
import { FINAL_ROLLOUT_STATUSES, rooms } from '@serfbort/core';
import { eq } from 'drizzle-orm';
import { rollouts } from '../db/schema.js';
import type { Tx } from '../db/write-queue.js';
import { HubError, refuse } from '../errors.js';
import type { HubContext } from '../hub-context.js';
import { acquireLock, liveLock, lockedError, releaseLock, renewLock } from './locks.js';
import { loadRollout } from './views.js';

export interface Operator {
  keyId: string;
  name: string;
}

/** Locks and rollouts are the keyring's business: only operators allowed the app touch them. */
export function mayRollOut(ctx: HubContext, keyId: string, app: string): void {
  const op = ctx.trust.operator(keyId);
  if (!op || !(op.entry.apps.includes('*') || op.entry.apps.includes(app)))
    refuse('FORBIDDEN', `this operator may not deploy ${app}`);
}

/** The plan must be one the driver can keep: steps in order, every host in exactly one. */
function checkPlan(start: RolloutStart): void {
  const seen = new Set<string>();
  for (const [i, step] of start.plan.steps.entries()) {
    if (step.index !== i) refuse('BAD_REQUEST', `plan: step ${i} carries index ${step.index}`);
    if ((step.kind === 'rollback') !== (start.kind === 'rollback'))
      refuse('BAD_REQUEST', `plan: a ${step.kind} step in a ${start.kind}`);
    for (const h of step.hosts) {
      if (seen.has(h)) refuse('BAD_REQUEST', `plan: ${h} is in two steps`);
      seen.add(h);
    }
  }
  if (seen.size !== start.plan.total)
    refuse('BAD_REQUEST', `plan: ${seen.size} hosts in the steps, total says ${start.plan.total}`);
  if (start.kind === 'rollback' && !start.rollbackOf)
    refuse('BAD_REQUEST', 'a rollback names the rollout it undoes');
}

/** Everyone watching this rollout, or all rollouts, here and (through Redis) on the other hubs. */
export async function announceRollout(
  ctx: HubContext,
  id: string,
  fromCluster = false,
): Promise<void> {
  const view = await loadRollout(ctx.db, id, ctx.now());
  if (!view) return;
  ctx.operators.to([rooms.rollout(id), rooms.rollouts]).emit('rollout:changed', view);
  if (!fromCluster) ctx.cluster.publish({ type: 'rollout', id });
}

const required = (view: RolloutView | undefined, id: string): RolloutView =>
  view ?? refuse('NOT_FOUND', `no rollout ${id}`);

export async function startRollout(
  ctx: HubContext,
  start: RolloutStart,
  by: Operator,
): Promise<RolloutView> {
  mayRollOut(ctx, by.keyId, start.app);
  checkPlan(start);
  const now = ctx.now();
  await ctx.writes.run(async ({ tx, audit }) => {
    if (start.rollbackOf) {
      const [of] = await tx.select().from(rollouts).where(eq(rollouts.id, start.rollbackOf));
      if (!of) refuse('NOT_FOUND', `no rollout ${start.rollbackOf} to roll back`);
      if (of!.app !== start.app) refuse('BAD_REQUEST', `rollout ${of!.id} is of ${of!.app}`);
      if (of!.kind === 'rollback')
        refuse('BAD_REQUEST', 'a rollback is not rolled back; roll out again');
    }
    const [exists] = await tx
      .select({ id: rollouts.id })
      .from(rollouts)
      .where(eq(rollouts.id, start.id));
    if (exists) refuse('CONFLICT', `rollout ${start.id} exists`);
    await acquireLock(tx, {
      app: start.app,
      rolloutId: start.id,
      ownerKeyId: by.keyId,
      ownerName: by.name,
      ttlMs: start.lockTtlMs,
      now,
      ...(start.rollbackOf ? { takeOver: start.rollbackOf } : {}),
    });
    await tx.insert(rollouts).values({
      id: start.id,
      app: start.app,
      version: start.version,
      kind: start.kind,
      rollbackOf: start.rollbackOf ?? null,
      rolledBackBy: null,
      target: start.target,
      expect: start.expect ?? null,
      options: start.options,
      budget: start.plan.budget,
      total: start.plan.total,
      lockTtlMs: start.lockTtlMs,
      steps: start.plan.steps,
      status: 'running',
      reason: null,
      ownerKeyId: by.keyId,
      ownerName: by.name,
      createdAt: now,
      updatedAt: now,
    });
    if (start.rollbackOf)
      await tx
        .update(rollouts)
        .set({ rolledBackBy: start.id, updatedAt: now })
        .where(eq(rollouts.id, start.rollbackOf));
    await audit.append('rollout', { event: 'start', by: by.keyId, ...start });
  });
  ctx.log.info(
    { rolloutId: start.id, app: start.app, version: start.version, kind: start.kind, by: by.name },
    'rollout started',
  );
  await announceRollout(ctx, start.id);
  if (start.rollbackOf) await announceRollout(ctx, start.rollbackOf);
  return required(await loadRollout(ctx.db, start.id, ctx.now()), start.id);
}

/** A rollout whose client went away: whoever resumes it holds its lock from now on. */
export async function resumeRollout(
  ctx: HubContext,
  q: { id: string; lockTtlMs?: number },
  by: Operator,
): Promise<RolloutView> {
  const now = ctx.now();
  await ctx.writes.run(async ({ tx, audit }) => {
    const [row] = await tx.select().from(rollouts).where(eq(rollouts.id, q.id));
    if (!row) return refuse('NOT_FOUND', `no rollout ${q.id}`);
    mayRollOut(ctx, by.keyId, row.app);
    if (FINAL_ROLLOUT_STATUSES.includes(row.status))
      refuse('CONFLICT', `rollout ${q.id} is ${row.status}; nothing to resume`);
    const ttlMs = q.lockTtlMs ?? row.lockTtlMs;
    await acquireLock(tx, {
      app: row.app,
      rolloutId: row.id,
      ownerKeyId: by.keyId,
      ownerName: by.name,
      ttlMs,
      now,
    });
    await tx
      .update(rollouts)
      .set({ status: 'running', reason: null, lockTtlMs: ttlMs, updatedAt: now })
      .where(eq(rollouts.id, row.id));
    await audit.append('rollout', { event: 'resume', id: row.id, by: by.keyId });
  });
  await announceRollout(ctx, q.id);
  return required(await loadRollout(ctx.db, q.id, ctx.now()), q.id);
}

/** Pause, run again, end; with no status, renew the lock (the driver's heartbeat). */
export async function controlRollout(
  ctx: HubContext,
  c: RolloutControl,
  by: Operator,
): Promise<RolloutView> {
  const now = ctx.now();
  const changed = await ctx.writes.run(async ({ tx, audit }) => {
    const [row] = await tx.select().from(rollouts).where(eq(rollouts.id, c.id));
    if (!row) return refuse('NOT_FOUND', `no rollout ${c.id}`);
    mayRollOut(ctx, by.keyId, row.app);
    const final = FINAL_ROLLOUT_STATUSES.includes(row.status);
    if (!c.status) {
      if (final) refuse('CONFLICT', `rollout ${c.id} is ${row.status}`);
      const lock = await renewLock(tx, row.app, row.id, row.lockTtlMs, now);
      if (!lock) {
        const holder = await liveLock(tx, row.app, now);
        throw holder
          ? lockedError(holder, now)
          : new HubError('CONFLICT', `rollout ${c.id} no longer holds the lock of ${row.app}`);
      }
      return false;
    }
    // after a rollback, the original's record may still be corrected to say how it went
    const amending =
      final && row.rolledBackBy !== null && ['rolled-back', 'halted'].includes(c.status);
    if (final && !amending) refuse('CONFLICT', `rollout ${c.id} is already ${row.status}`);
    if (c.status === 'rolled-back' && row.kind === 'rollback')
      refuse('BAD_REQUEST', 'a rollback is not rolled back');
    if (c.status === 'running' && !(await renewLock(tx, row.app, row.id, row.lockTtlMs, now)))
      refuse('CONFLICT', `rollout ${c.id} lost its lock; use serfbort rollout resume ${c.id}`);
    await tx
      .update(rollouts)
      .set({ status: c.status, reason: c.reason ?? null, updatedAt: now })
      .where(eq(rollouts.id, row.id));
    if (FINAL_ROLLOUT_STATUSES.includes(c.status)) await releaseLock(tx, row.app, row.id);
    await audit.append('rollout', { event: c.status, id: row.id, by: by.keyId, reason: c.reason });
    return true;
  });
  if (changed) {
    ctx.log.info(
      { rolloutId: c.id, status: c.status, by: by.name, reason: c.reason },
      'rollout changed',
    );
    await announceRollout(ctx, c.id);
  }
  return required(await loadRollout(ctx.db, c.id, ctx.now()), c.id);
}

/**
 * Inside the deploy's own write: a step must belong to a running rollout that holds
 * the app's lock and name exactly that step's hosts; a plain deploy of a locked app is
 * refused. The hub's check is for consistency; the agents' signatures are the guard.
 */
export async function recordDeployInRollout(
  tx: Tx,
  request: DeployRequest,
  now: number,
): Promise<string | undefined> {
  const lock = await liveLock(tx, request.app, now);
  if (!request.rollout) {
    if (lock) throw lockedError(lock, now);
    return undefined;
  }
  const ref = request.rollout;
  const [row] = await tx.select().from(rollouts).where(eq(rollouts.id, ref.id));
  if (!row) return refuse('NOT_FOUND', `no rollout ${ref.id}: start it before its steps`);
  if (row.app !== request.app) refuse('BAD_REQUEST', `rollout ${ref.id} is of ${row.app}`);
  if (row.status !== 'running') refuse('CONFLICT', `rollout ${ref.id} is ${row.status}`);
  if (!lock || lock.rolloutId !== row.id)
    throw lock
      ? lockedError(lock, now)
      : new HubError('CONFLICT', `rollout ${ref.id} lost its lock`);
  const step = row.steps[ref.step];
  const named = 'hosts' in request.target ? [...request.target.hosts].sort().join(',') : '';
  if (!step || ref.steps !== row.steps.length || named !== [...step.hosts].sort().join(','))
    refuse('BAD_REQUEST', `the request does not match step ${ref.step + 1} of rollout ${ref.id}`);
  if (step!.requestId && step!.requestId !== request.id)
    refuse(
      'CONFLICT',
      `step ${ref.step + 1} of rollout ${ref.id} was released as ${step!.requestId}`,
    );
  const steps = row.steps.map((s, i) =>
    i === ref.step ? { ...s, requestId: request.id, releasedAt: now } : s,
  );
  await tx.update(rollouts).set({ steps, updatedAt: now }).where(eq(rollouts.id, row.id));
  await renewLock(tx, row.app, row.id, row.lockTtlMs, now);
  return row.id;
}
