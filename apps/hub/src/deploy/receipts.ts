import type { ErrorCode, HostAnswerVerdict, Receipt } from '@serfbort/core';
import {
  openPayload,
  requestId as requestIdSchema,
  rooms,
  sha256Hex,
  tryFromBase64,
  verifyReceipt,
} from '@serfbort/core';
import { eq } from 'drizzle-orm';
import { deployments } from '../db/schema.js';
import { TickBatcher } from '../db/write-queue.js';
import { refuse } from '../errors.js';
import type { HubContext } from '../hub-context.js';
import { HUB_LIMITS } from '../hub-limits.js';
import type { ReceiptToStore, StoreOutcome } from './store-receipts.js';
import { storeReceipts } from './store-receipts.js';

export class ReceiptDesk {
  private readonly digests = new Map<string, string>();
  private readonly batcher: TickBatcher<ReceiptToStore, StoreOutcome>;

  constructor(private readonly ctx: HubContext) {
    this.batcher = new TickBatcher(ctx.writes, storeReceipts);
  }

  private async digestOf(requestId: string): Promise<string | undefined> {
    const cached = this.digests.get(requestId);
    if (cached) return cached;
    const [row] = await this.ctx.db
      .select({ digest: deployments.digest })
      .from(deployments)
      .where(eq(deployments.requestId, requestId));
    if (!row) return undefined;
    if (this.digests.size >= HUB_LIMITS.digestCacheEntries) this.digests.clear();
    this.digests.set(requestId, row.digest);
    return row.digest;
  }

  /**
   * Verifies the receipt with the host's approved key and that it answers a request
   * that targeted this host, then stores it once; resends are acknowledged again.
   */
  async accept(host: string, publicKey: string, input: unknown): Promise<{ stored: boolean }> {
    const opened = openPayload(input, 'receipt');
    if (!opened.ok) return refuse(opened.reason, opened.detail ?? opened.reason);
    const claimed = (opened.value.payload as { requestId?: unknown } | null)?.requestId;
    if (!requestIdSchema.safeParse(claimed).success)
      return refuse('MALFORMED', 'the receipt names no valid request id');
    const requestId = claimed as string;
    const digest = await this.digestOf(requestId);
    if (!digest) return refuse('NOT_FOUND', `no deployment ${requestId}`);
    const key = tryFromBase64(publicKey)!;
    const verdict = verifyReceipt(
      input,
      { host, requestId, requestDigest: digest },
      new Map([[host, key]]),
      // the host's key is the approved one from the agents table: admitted when approved
      this.ctx.admittedKeys.verifierFor(key),
    );
    if (!verdict.ok) return refuse(ackCodeFor(verdict.code), `receipt: ${verdict.detail}`);
    const r = verdict.value;
    const outcome = await this.enqueue({
      requestId,
      host,
      receipt: r,
      envelope: opened.value.envelope,
      receiptDigest: sha256Hex(opened.value.payloadBytes),
      at: this.ctx.now(),
    });
    if (outcome === 'not-targeted')
      return refuse('FORBIDDEN', `request ${requestId} did not target ${host}`);
    if (outcome === 'duplicate') return { stored: true };
    this.ctx.metrics.receipts.inc();
    this.ctx.metrics.hostOutcomes.inc({ status: r.status });
    this.ctx.operators.to(rooms.deployment(requestId)).emit('deploy:update', {
      requestId,
      host: {
        host,
        state: r.status,
        ...(r.reason !== undefined ? { reason: r.reason } : {}),
        exitCode: r.exitCode,
        versionBefore: r.versionBefore,
        versionAfter: r.versionAfter,
        updatedAt: this.ctx.now(),
        receipt: opened.value.envelope,
      },
    });
    return { stored: true };
  }

  /** Receipts arriving in the same tick are stored by one write job. */
  private enqueue(item: ReceiptToStore): Promise<StoreOutcome> {
    return this.batcher.add(item);
  }
}

type ReceiptRefusal = Extract<HostAnswerVerdict<Receipt>, { ok: false }>['code'];

/**
 * Envelope refusals reach the agent as they are; any other reason a receipt is not
 * believed is a BAD_REQUEST, which the agent's outbox treats as final.
 */
function ackCodeFor(code: ReceiptRefusal): ErrorCode {
  switch (code) {
    case 'MALFORMED':
    case 'OVERSIZED':
    case 'WRONG_PAYLOAD_TYPE':
    case 'BAD_SIGNATURE':
    case 'UNKNOWN_SIGNER':
      return code;
    default:
      return 'BAD_REQUEST';
  }
}
