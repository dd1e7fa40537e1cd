/**
 * A one-line progress bar on stderr when it is a terminal; host lines are printed
 * above it. Without a terminal there is no bar, only the host lines.
 */
export class ProgressBar {
  private shown = false;

  constructor(
    private readonly enabled: boolean,
    private total: number,
    private readonly width = 28,
  ) {}

  setTotal(total: number): void {
    this.total = total;
  }

  /** prints a line above the bar */
  log(text: string, done: number): void {
    this.clear();
    process.stderr.write(`${text}\n`);
    this.draw(done);
  }

  draw(done: number): void {
    if (!this.enabled || this.total === 0) return;
    const filled = Math.round((Math.min(done, this.total) / this.total) * this.width);
    process.stderr.write(
      `\r[${'#'.repeat(filled)}${'.'.repeat(this.width - filled)}] ${done}/${this.total} hosts answered`,
    );
    this.shown = true;
  }

  clear(): void {
    if (this.shown) process.stderr.write('\r\x1b[2K');
    this.shown = false;
  }
}
