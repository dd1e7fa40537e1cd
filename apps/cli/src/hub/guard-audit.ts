import type { HeadVerdict } from '@serfbort/client';
import { unservedAudit, verifyHeadExtension } from '@serfbort/client';
import type { AuditHead } from '@serfbort/core';
import { LIMITS } from '@serfbort/core';
import type { Ctx } from '../context.js';
import { CliError, EXIT } from '../errors.js';
import { AuditHeads } from './audit-heads.js';
import type { HubSession } from './session.js';

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
  // what the hub refuses to serve: unchecked from a hub that never served it, withheld
  // from one that did; any other refusal (its database away) ends the session as it is
  const unserved = (e: unknown): void => {
    if (!(e instanceof CliError && e.exitCode === EXIT.refused)) throw e;
    const v = unservedAudit(remembered, e);
    if (v.verdict === 'failed') throw e;
    if (v.verdict === 'withheld')
      throw new CliError(
        EXIT.hosts,
        v.code,
        `${v.detail}. If you know why, accept its history on purpose with \`serfbort audit forget-head\``,
      );
    ctx.out.warn(`hub ${hubId}: ${v.detail}`);
  };
  let current: AuditHead;
  try {
    current = await hub.auditHead();
  } catch (e) {
    unserved(e);
    return;
  }
  if (remembered) {
    let verdict: HeadVerdict;
    try {
      verdict = await verifyHeadExtension(
        remembered,
        current,
        (after) => hub.auditRows(after),
        LIMITS.auditRowsPerPage,
      );
    } catch (e) {
      unserved(e);
      return;
    }
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
