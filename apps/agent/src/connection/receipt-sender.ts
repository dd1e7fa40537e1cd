import type { HubCode } from '@serfbort/core';
import type { Logger } from 'pino';
import type { Outbox } from '../state/outbox.js';
import type { AgentSocket } from './hub-link.js';

/** Refusals that resending cannot fix; anything else is retried after the next reconnect. */
const PERMANENT = new Set<string>(['BAD_REQUEST', 'NOT_FOUND', 'CONFLICT'] satisfies HubCode[]);

/**
 * Sends the outbox oldest first and removes a receipt only when the hub acknowledged
 * it. The hub is idempotent on (request id, host), so a resend is always safe.
 */
export class ReceiptSender {
  private running: Promise<void> | undefined;
  private again = false;

  constructor(
    private readonly outbox: Outbox,
    private readonly socket: () => AgentSocket | undefined,
    private readonly log: Logger,
  ) {}

  flush(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.sendAll().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        this.flush();
      }
    });
  }

  private async sendAll(): Promise<void> {
    for (const item of this.outbox.pending()) {
      const socket = this.socket();
      if (!socket) return;
      let ack: Awaited<ReturnType<AgentSocket['emitWithAck']>>;
      try {
        ack = await socket.timeout(10_000).emitWithAck('deploy:receipt', item.envelope);
      } catch {
        return; // no answer: the next reconnect or timer tick resends
      }
      if (ack.ok) {
        this.outbox.ackItem(item);
        this.log.info(
          { event: 'receipt.acked', requestId: item.requestId },
          'hub stored the receipt',
        );
      } else if (PERMANENT.has(ack.error.code)) {
        this.outbox.ackItem(item);
        this.log.error(
          { event: 'receipt.refused', requestId: item.requestId, code: ack.error.code },
          'hub refused the receipt; dropped it',
        );
      } else {
        this.log.warn(
          { event: 'receipt.deferred', requestId: item.requestId, code: ack.error.code },
          'hub did not store the receipt yet',
        );
        return;
      }
    }
  }

  /** Sends what it can within `timeoutMs` (shutdown). */
  async drain(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.outbox.size > 0 && this.socket() && Date.now() < deadline) {
      this.flush();
      const current = this.running;
      if (!current) break;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        current,
        new Promise((r) => (timer = setTimeout(r, deadline - Date.now()))),
      ]);
      clearTimeout(timer);
      if (this.outbox.size > 0 && this.running === undefined && !this.again) break;
    }
  }
}
