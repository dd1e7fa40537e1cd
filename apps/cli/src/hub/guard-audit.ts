import { verifyHeadExtension } from '@serfbort/client';
import type { AuditHead } from '@serfbort/core';
import { LIMITS } from '@serfbort/core';
import type { Ctx } from '../context.js';
import { CliError, EXIT } from '../errors.js';
import { AuditHeads } from './audit-heads.js';
import type { HubSession } from './session.js';

/** A hub older than audit heads answers BAD_REQUEST ("unknown event"). */
const isUnknownEvent = (e: unknown) => e instanceof CliError && e.code === 'BAD_REQUEST';

/**
 * At every session: the hub's audit history must extend the head this client saw last
 * (rows are unsigned, so whoever owns the hub's database could rebuild them consistently;
 * a client that remembers a hash catches it). Refused loudly with both heads; the new
 * head is remembered only once it verified.
 */
export async function guardAuditHead(ctx: Ctx, hub: HubSession): Promise<void> {
  const hubId = hub.hubId;
  if (!hubId) return;
  const heads = new AuditHeads(ctx.config.configDir);
  const remembered = heads.get(hubId);
  let current: AuditHead;
  try {
    current = await hub.auditHead();
  } catch (e) {
    // a hub that served its head before and no longer does is hiding something
    if (!isUnknownEvent(e) || remembered) throw e;
    ctx.out.warn(
      `hub ${hubId} does not serve its audit head (an older hub): its history is not checked`,
    );
    return;
  }
  if (remembered) {
    const verdict = await verifyHeadExtension(
      remembered,
      current,
      (after) => hub.auditRows(after),
      LIMITS.auditRowsPerPage,
    );
    if (!verdict.ok)
      throw new CliError(
        EXIT.hosts,
        'AUDIT_FORKED',
        `${verdict.detail}. If you know why (the hub was restored from a backup), accept its history on purpose with \`serfbort audit forget-head\``,
      );
    if (verdict.head.seq === remembered.seq && verdict.head.hash === remembered.hash) return;
  }
  heads.remember(hubId, current, ctx.now());
}
