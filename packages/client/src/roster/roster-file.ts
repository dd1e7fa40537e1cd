import { envelopeSchema, hostName, keyId, labels, publicKeyB64 } from '@serfbort/core';
import { z } from 'zod';
import type { Roster } from './roster.js';
import type { RosterEntry } from './vouch.js';

const evidence = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('approval'), approval: envelopeSchema }),
  z.strictObject({ kind: z.literal('enrollment'), grant: envelopeSchema, hello: envelopeSchema }),
]);

const entry = z.strictObject({
  host: hostName,
  keyId,
  publicKey: publicKeyB64,
  labels: labels.nullable(),
  kind: z.enum(['approval', 'enrollment']),
  vouchedBy: z.array(z.string().max(128)).max(16),
  signers: z.array(keyId).max(16),
  at: z.number().int().min(0),
  evidence,
});

const version = z.number().int().min(0).max(100_000_000);

const rosterDoc = z.strictObject({
  type: z.literal('serfbort-roster'),
  format: z.literal(1),
  hubId: z.string().min(1).max(128),
  trust: z.strictObject({ root: version, keyring: version }).nullable(),
  hosts: z.array(entry),
});

export type RosterReading = { ok: true; roster: Roster } | { ok: false; detail: string };

/** The stored form (same in a file or IndexedDB): hosts sorted, so diffs of the file read well. */
export function serializeRoster(roster: Roster): string {
  const hosts = Object.values(roster.hosts).sort((a, b) => a.host.localeCompare(b.host));
  return `${JSON.stringify(
    { type: 'serfbort-roster', format: 1, hubId: roster.hubId, trust: roster.trust, hosts },
    null,
    2,
  )}\n`;
}

/** A stored roster, strictly: a damaged one is refused, never half-read. */
export function parseRoster(text: string, hubId: string): RosterReading {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, detail: 'not valid JSON' };
  }
  const doc = rosterDoc.safeParse(value);
  if (!doc.success) {
    const issue = doc.error.issues[0];
    return { ok: false, detail: `${issue?.path.join('.') || '(top)'}: ${issue?.message}` };
  }
  if (doc.data.hubId !== hubId)
    return { ok: false, detail: `it is the roster of hub ${doc.data.hubId}, not ${hubId}` };
  const hosts: Record<string, RosterEntry> = {};
  for (const h of doc.data.hosts) hosts[h.host] = h as RosterEntry;
  return { ok: true, roster: { hubId, trust: doc.data.trust, hosts } };
}
