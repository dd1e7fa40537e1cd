import type { Envelope, Verifier } from '@serfbort/core';
import { tryFromBase64, verifyReceiptHeadStatement } from '@serfbort/core';
import { and, eq, isNull, lte, or } from 'drizzle-orm';
import { agents } from '../db/schema.js';
import type { WriteQueue } from '../db/write-queue.js';
import { HubError } from '../errors.js';

export interface HeadSender {
  host: string;
  keyId: string;
  publicKey: string;
}

/**
 * Stores a host's signed receipt-head statement, for clients to hold the served history
 * against. Only one signed by the host's approved key; never one with a lower number
 * than the stored one (a late or replayed statement), so every hub of a cluster serves
 * the newest. Clients verify it again: this only keeps junk out of the table.
 */
export async function storeReceiptHead(
  writes: WriteQueue,
  sender: HeadSender,
  input: unknown,
  verifier: Verifier,
): Promise<void> {
  const key = tryFromBase64(sender.publicKey);
  const v = key ? verifyReceiptHeadStatement(input, sender.host, key, verifier) : undefined;
  if (!v?.ok) throw new HubError('BAD_REQUEST', `receipt head: ${v?.detail ?? 'no approved key'}`);
  const { seq } = v.value;
  await writes.run(({ tx }) =>
    tx
      .update(agents)
      .set({ head: input as Envelope, headSeq: seq })
      .where(
        and(
          eq(agents.name, sender.host),
          eq(agents.keyId, sender.keyId),
          or(isNull(agents.headSeq), lte(agents.headSeq, seq)),
        ),
      ),
  );
}
