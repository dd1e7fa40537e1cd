import type { Envelope } from '@serfbort/core';
import { LIMITS } from '@serfbort/core';
import { STATE_FILES, type StateDir } from './state-dir.js';

export interface OutboxItem {
  requestId: string;
  envelope: Envelope;
  createdAt: number;
}

const fileOf = (requestId: string) => `${requestId}.json`;

/**
 * Signed receipts the hub has not acknowledged yet: on disk first, sent after,
 * removed only on the hub's ack, resent after every reconnect.
 */
export class Outbox {
  private readonly items = new Map<string, OutboxItem>();

  constructor(
    private readonly dir: StateDir,
    private readonly onDrop: (requestId: string) => void = () => {},
  ) {}

  load(onCorrupt: (path: string) => void = () => {}): void {
    for (const raw of this.dir.readAll(STATE_FILES.outbox, onCorrupt)) {
      const item = raw as OutboxItem | undefined;
      if (item?.requestId && item.envelope) this.items.set(item.requestId, item);
    }
  }

  /** Durable before it returns; a full outbox drops its oldest receipt (bounded disk use). */
  put(requestId: string, envelope: Envelope, now: number): OutboxItem {
    const item = { requestId, envelope, createdAt: now };
    this.dir.writeJson(item, STATE_FILES.outbox, fileOf(requestId));
    this.items.set(requestId, item);
    while (this.items.size > LIMITS.outboxReceipts) {
      const oldest = this.pending()[0];
      if (!oldest) break;
      this.ack(oldest.requestId);
      this.onDrop(oldest.requestId);
    }
    return item;
  }

  has(requestId: string): boolean {
    return this.items.has(requestId);
  }

  get(requestId: string): OutboxItem | undefined {
    return this.items.get(requestId);
  }

  /** Removes `item` only if it is still the receipt held for its id (a newer one may have replaced it). */
  ackItem(item: OutboxItem): void {
    if (this.items.get(item.requestId) === item) this.ack(item.requestId);
  }

  ack(requestId: string): void {
    this.dir.remove(STATE_FILES.outbox, fileOf(requestId));
    this.items.delete(requestId);
  }

  pending(): OutboxItem[] {
    return [...this.items.values()].sort((a, b) => a.createdAt - b.createdAt);
  }

  get size(): number {
    return this.items.size;
  }
}
