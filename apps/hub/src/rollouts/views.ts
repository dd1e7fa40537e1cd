import type { RolloutView } from '@serfbort/core';
import { FINAL_ROLLOUT_STATUSES } from '@serfbort/core';
import { and, desc, eq, gt, inArray } from 'drizzle-orm';
import type { Db } from '../db/open.js';
import { rolloutLocks, rollouts } from '../db/schema.js';
import type { Tx } from '../db/write-queue.js';
import { lockView } from './locks.js';

export type RolloutRow = typeof rollouts.$inferSelect;
type LockRow = typeof rolloutLocks.$inferSelect;

/**
 * A rollout whose client stopped renewing its lock reads as expired; `rollout resume`
 * can still take it up again.
 */
export function rolloutView(row: RolloutRow, lock: LockRow | undefined, now: number): RolloutView {
  const held = lock && lock.rolloutId === row.id && lock.expiresAt > now ? lock : undefined;
  const stalled = !held && !FINAL_ROLLOUT_STATUSES.includes(row.status);
  return {
    id: row.id,
    app: row.app,
    version: row.version,
    target: row.target,
    ...(row.expect !== null ? { expect: row.expect } : {}),
    kind: row.kind,
    ...(row.rollbackOf ? { rollbackOf: row.rollbackOf } : {}),
    ...(row.rolledBackBy ? { rolledBackBy: row.rolledBackBy } : {}),
    options: row.options,
    budget: row.budget,
    total: row.total,
    lockTtlMs: row.lockTtlMs,
    steps: row.steps,
    status: stalled ? 'expired' : row.status,
    ...(stalled
      ? {
          reason: 'its client stopped renewing the lock; serfbort rollout resume takes it up again',
        }
      : row.reason
        ? { reason: row.reason }
        : {}),
    ownerKeyId: row.ownerKeyId,
    ownerName: row.ownerName,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    ...(held ? { lock: lockView(held) } : {}),
  };
}

export async function loadRollout(
  db: Db | Tx,
  id: string,
  now: number,
): Promise<RolloutView | undefined> {
  const [row] = await db.select().from(rollouts).where(eq(rollouts.id, id));
  if (!row) return undefined;
  const [lock] = await db
    .select()
    .from(rolloutLocks)
    .where(and(eq(rolloutLocks.rolloutId, id), gt(rolloutLocks.expiresAt, now)));
  return rolloutView(row, lock, now);
}

export async function listRollouts(
  db: Db,
  q: { app?: string; limit?: number },
  now: number,
): Promise<RolloutView[]> {
  const rows = await db
    .select()
    .from(rollouts)
    .where(q.app ? eq(rollouts.app, q.app) : undefined)
    .orderBy(desc(rollouts.createdAt))
    .limit(q.limit ?? 50);
  if (rows.length === 0) return [];
  const locks = await db
    .select()
    .from(rolloutLocks)
    .where(
      inArray(
        rolloutLocks.rolloutId,
        rows.map((r) => r.id),
      ),
    );
  const byRollout = new Map(locks.map((l) => [l.rolloutId, l]));
  return rows.map((r) => rolloutView(r, byRollout.get(r.id), now));
}
