import {
  FINAL_ROLLOUT_STATUSES,
  LIMITS,
  lockRelease,
  openEnvelope,
  PAYLOAD_TYPES,
  verifySignatures,
} from '@serfbort/core';
import { nodeVerifier } from '@serfbort/node';
import { eq } from 'drizzle-orm';
import { rollouts } from '../db/schema.js';
import { refuse } from '../errors.js';
import type { HubContext } from '../hub-context.js';
import { liveLock, releaseLock } from './locks.js';
import { announceRollout, mayRollOut } from './rollout-service.js';

/**
 * Frees a stuck lock on an operator's signed word: the lock's owner, or anyone the
 * keyring allows the app. The release names the rollout and is fresh (within the clock
 * skew), so a replay cannot free a later lock.
 */
export async function releaseSignedLock(
  ctx: HubContext,
  input: unknown,
): Promise<{ app: string; rolloutId: string }> {
  const opened = openEnvelope(input, PAYLOAD_TYPES.lockRelease);
  if (!opened.ok) return refuse(opened.reason, opened.detail ?? opened.reason);
  await ctx.trust.refresh();
  const keys = ctx.trust.keyring()?.operatorKeys;
  if (!keys) return refuse('TRUST_EXPIRED', 'no usable keyring');
  const signed = verifySignatures(opened.value, (id) => keys.get(id), nodeVerifier);
  if (!signed.ok) return refuse(signed.reason, signed.detail ?? signed.reason);
  const parsed = lockRelease.safeParse(opened.value.payload);
  if (!parsed.success) return refuse('MALFORMED', parsed.error.issues[0]?.message ?? 'malformed');
  const release = parsed.data;
  const now = ctx.now();
  if (release.at < now - LIMITS.clockSkewMs) refuse('EXPIRED', 'the signed release is too old');
  if (release.at > now + LIMITS.clockSkewMs)
    refuse('ISSUED_IN_FUTURE', 'the signed release is dated in the future');
  const lock = await liveLock(ctx.db, release.app, now);
  if (!lock || lock.rolloutId !== release.rolloutId)
    refuse('NOT_FOUND', `${release.app} holds no lock of rollout ${release.rolloutId}`);
  const signer =
    signed.value.signers.find((k) => k === lock!.ownerKeyId) ?? signed.value.signers[0]!;
  if (signer !== lock!.ownerKeyId) mayRollOut(ctx, signer, release.app);
  const name = ctx.trust.operator(signer)?.entry.name ?? signer;
  await ctx.writes.run(async ({ tx, audit }) => {
    if (!(await releaseLock(tx, release.app, release.rolloutId))) return;
    const reason = `lock released by ${name}`;
    const [row] = await tx.select().from(rollouts).where(eq(rollouts.id, release.rolloutId));
    if (row && !FINAL_ROLLOUT_STATUSES.includes(row.status))
      await tx
        .update(rollouts)
        .set({ status: 'aborted', reason, updatedAt: now })
        .where(eq(rollouts.id, row.id));
    await audit.append('lock-release', { by: signer, envelope: opened.value.envelope });
  });
  ctx.log.info({ app: release.app, rolloutId: release.rolloutId, by: name }, 'lock released');
  await announceRollout(ctx, release.rolloutId);
  return { app: release.app, rolloutId: release.rolloutId };
}
