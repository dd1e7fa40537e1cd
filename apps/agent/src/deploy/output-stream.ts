import type { OutputLine } from '@serfbort/core';
import { LIMITS } from '@serfbort/core';

/**
 * Batches a deploy's output lines for the hub, at most LIMITS.outputLinesPerSecond
 * per second; lines over the bound are counted (`dropped`), not sent.
 */
export class OutputStream {
  private batch: OutputLine[] = [];
  private dropped = 0;
  private windowStart = 0;
  private inWindow = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly flushTo: (lines: OutputLine[], dropped: number) => void,
    private readonly flushEveryMs = 250,
    private readonly now: () => number = Date.now,
  ) {}

  push(stream: OutputLine['stream'], text: string): void {
    const at = this.now();
    if (at - this.windowStart >= 1000) {
      this.windowStart = at;
      this.inWindow = 0;
    }
    if (this.inWindow >= LIMITS.outputLinesPerSecond) {
      this.dropped++;
      return;
    }
    this.inWindow++;
    this.batch.push({ stream, text, at });
    this.timer ??= setTimeout(() => this.flush(), this.flushEveryMs);
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.batch.length === 0 && this.dropped === 0) return;
    const lines = this.batch;
    const dropped = this.dropped;
    this.batch = [];
    this.dropped = 0;
    this.flushTo(lines, dropped);
  }
}
