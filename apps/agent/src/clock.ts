/** Beneath this, network delay and NTP jitter say nothing about a wrong clock. */
const NOTABLE_SKEW_MS = 60_000;

/**
 * The agent's one clock: hellos, admission windows and trust expiry all read it. Its
 * offset (config `clockOffsetMs`, from SERFBORT_AGENT_CLOCK_OFFSET_MS) lets a test run a
 * real agent whose clock is off; it only worsens this agent's own judgement of time.
 */
export class AgentClock {
  private hubSkewMs: number | undefined;

  constructor(private readonly offsetMs = 0) {}

  now(): number {
    return Date.now() + this.offsetMs;
  }

  /** The time in the hub's last challenge: the only other clock this agent hears. */
  noteHubTime(serverTime: number): void {
    this.hubSkewMs = this.now() - serverTime;
  }

  /**
   * For a request refused by time: how far this clock is off the hub's, as far as the
   * hub said — the operator learns which clock to fix. The hub's word, so named as such.
   */
  hubSkewNote(): string | undefined {
    const skew = this.hubSkewMs;
    if (skew === undefined || Math.abs(skew) < NOTABLE_SKEW_MS) return undefined;
    const seconds = Math.round(skew / 1000);
    const side = seconds < 0 ? 'behind' : 'ahead of';
    return `this agent's clock is ${Math.abs(seconds)} s ${side} the hub's (clock skew ${seconds} s)`;
  }
}
