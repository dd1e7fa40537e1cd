import type { PendingAgent } from '@serfbort/core';
import { fingerprintOf, fromBase64 } from '@serfbort/core';
import { asc, eq } from 'drizzle-orm';
import type { Db } from '../db/open.js';
import { agents, pendingAgents } from '../db/schema.js';
import { labelsSigned, sameLabels } from './approved-labels.js';

/**
 * Keys waiting for an operator: new keys, and approved keys announcing other labels
 * than the ones signed (labels changed — needs approval). A changed entry whose host
 * has since announced its approved labels again is stale and left out.
 */
export async function loadPendingAgents(db: Db): Promise<PendingAgent[]> {
  const rows = await db
    .select({ pending: pendingAgents, approved: agents })
    .from(pendingAgents)
    .leftJoin(agents, eq(agents.keyId, pendingAgents.keyId))
    .orderBy(asc(pendingAgents.firstSeen));
  return rows.flatMap(({ pending: r, approved }): PendingAgent[] => {
    const sameHost = approved?.name === r.name ? approved : null;
    const signed = sameHost !== null && labelsSigned(sameHost.evidence);
    if (signed && sameLabels(sameHost.labels, r.labels)) return [];
    return [
      {
        name: r.name,
        keyId: r.keyId,
        publicKey: r.publicKey,
        fingerprint: fingerprintOf(fromBase64(r.publicKey)),
        labels: r.labels,
        ...(signed ? { approvedLabels: sameHost.labels } : {}),
        apps: r.apps,
        firstSeen: r.firstSeen,
        lastSeen: r.lastSeen,
      },
    ];
  });
}
