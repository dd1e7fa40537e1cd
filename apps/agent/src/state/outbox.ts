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
  /** receipts the disk would not take, each with what to do once it is acked or written */
  private readonly held = new Map<string, () => void>();

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
    this.settle(requestId);
    this.trim();
    return item;
  }

  private trim(): void {
    while (this.items.size > LIMITS.outboxReceipts) {
      const oldest = this.pending()[0];
      if (!oldest) break;
      this.ack(oldest.requestId);
      this.onDrop(oldest.requestId);
    }
  }

  /**
   * A receipt the disk would not take (full): kept in memory and sent like the others,
   * written by persistHeld once there is room. `settled` runs when it is acked or written.
   * Lost only if the agent stops before either.
   */
  hold(requestId: string, envelope: Envelope, now: number, settled: () => void): OutboxItem {
    const item = { requestId, envelope, createdAt: now };
    this.items.set(requestId, item);
    this.held.set(requestId, settled);
    // memory is bounded like the disk
    this.trim();
    return item;
  }

  /** Writes the held receipts now that there is room; throws the first write's error. */
  persistHeld(): number {
    let written = 0;
    for (const requestId of [...this.held.keys()]) {
      const item = this.items.get(requestId);
      if (item) this.dir.writeJson(item, STATE_FILES.outbox, fileOf(requestId));
      this.settle(requestId);
      written++;
    }
    return written;
  }

  private settle(requestId: string): void {
    const settled = this.held.get(requestId);
    this.held.delete(requestId);
    settled?.();
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
    this.settle(requestId);
  }

  pending(): OutboxItem[] {
    return [...this.items.values()].sort((a, b) => a.createdAt - b.createdAt);
  }

  get size(): number {
    return this.items.size;
  }
}
