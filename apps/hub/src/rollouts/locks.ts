import type { LockView } from '@serfbort/core';
import { and, eq, gt, lte, or } from 'drizzle-orm';
import type { Db } from '../db/open.js';
import { rolloutLocks } from '../db/schema.js';
import type { Tx } from '../db/write-queue.js';
import { HubError } from '../errors.js';

type LockRow = typeof rolloutLocks.$inferSelect;

export const lockView = (row: LockRow): LockView => ({
  app: row.app,
  rolloutId: row.rolloutId,
  ownerKeyId: row.ownerKeyId,
  ownerName: row.ownerName,
  acquiredAt: row.acquiredAt,
  expiresAt: row.expiresAt,
});

/** "3m 20s": how people read a lock's age. */
export function ageText(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`;
  return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
}

export function lockedError(lock: LockRow, now: number): HubError {
  return new HubError(
    'LOCKED',
    `${lock.app} is locked by rollout ${lock.rolloutId} of ${lock.ownerName} (key ${lock.ownerKeyId.slice(0, 8)}), taken ${ageText(now - lock.acquiredAt)} ago, expires in ${ageText(lock.expiresAt - now)}; wait for it, or release it with: serfbort lock release ${lock.app}`,
  );
}

/** The live lock of an app; an expired one is free and reads as none. */
export async function liveLock(
  db: Db | Tx,
  app: string,
  now: number,
): Promise<LockRow | undefined> {
  const [row] = await db
    .select()
    .from(rolloutLocks)
    .where(and(eq(rolloutLocks.app, app), gt(rolloutLocks.expiresAt, now)));
  return row;
}

/**
 * Takes the app's lock for a rollout, atomically even with several hubs on one
 * database: it succeeds when the lock is free, expired, already this rollout's, or
 * held by the rollout this one takes over (a rollback). Otherwise LOCKED.
 */
export async function acquireLock(
  tx: Tx,
  want: {
    app: string;
    rolloutId: string;
    ownerKeyId: string;
    ownerName: string;
    ttlMs: number;
    now: number;
    takeOver?: string;
  },
): Promise<LockRow> {
  const row = {
    app: want.app,
    rolloutId: want.rolloutId,
    ownerKeyId: want.ownerKeyId,
    ownerName: want.ownerName,
    acquiredAt: want.now,
    expiresAt: want.now + want.ttlMs,
  };
  const mayTake = [
    lte(rolloutLocks.expiresAt, want.now),
    eq(rolloutLocks.rolloutId, want.rolloutId),
    ...(want.takeOver ? [eq(rolloutLocks.rolloutId, want.takeOver)] : []),
  ];
  const [taken] = await tx
    .insert(rolloutLocks)
    .values(row)
    .onConflictDoUpdate({ target: rolloutLocks.app, set: row, setWhere: or(...mayTake) })
    .returning();
  if (taken) return taken;
  const holder = await liveLock(tx, want.app, want.now);
  throw holder
    ? lockedError(holder, want.now)
    : new HubError('CONFLICT', 'the lock changed; try again');
}

/** Extends the lock while its rollout's client is alive; false when the rollout no longer holds it. */
export async function renewLock(
  tx: Tx,
  app: string,
  rolloutId: string,
  ttlMs: number,
  now: number,
): Promise<LockRow | undefined> {
  const [row] = await tx
    .update(rolloutLocks)
    .set({ expiresAt: now + ttlMs })
    .where(
      and(
        eq(rolloutLocks.app, app),
        eq(rolloutLocks.rolloutId, rolloutId),
        gt(rolloutLocks.expiresAt, now),
      ),
    )
    .returning();
  return row;
}

export async function releaseLock(tx: Tx, app: string, rolloutId: string): Promise<boolean> {
  const gone = await tx
    .delete(rolloutLocks)
    .where(and(eq(rolloutLocks.app, app), eq(rolloutLocks.rolloutId, rolloutId)))
    .returning({ app: rolloutLocks.app });
  return gone.length > 0;
}
