/**
 * The agent's one clock: hellos, admission windows and trust expiry all read it.
 * SERFBORT_AGENT_CLOCK_OFFSET_MS shifts it, so a test can run a real agent whose clock
 * is off; it can only make this agent's own judgement of time worse, never widen a window.
 */
const offsetMs = (() => {
  const raw = process.env.SERFBORT_AGENT_CLOCK_OFFSET_MS;
  const n = raw === undefined ? 0 : Number(raw);
  return Number.isSafeInteger(n) ? n : 0;
})();

export const agentNow = (): number => Date.now() + offsetMs;

/** Beneath this, network delay and NTP jitter say nothing about a wrong clock. */
const NOTABLE_SKEW_MS = 60_000;
let hubSkewMs: number | undefined;

/** The time in the hub's last challenge: the only other clock this agent hears. */
export function noteHubTime(serverTime: number): void {
  hubSkewMs = agentNow() - serverTime;
}

/**
 * For a request refused by time: how far this clock is off the hub's, as far as the hub
 * said — the operator learns which clock to fix. The hub's word, so named as such.
 */
export function hubSkewNote(): string | undefined {
  if (hubSkewMs === undefined || Math.abs(hubSkewMs) < NOTABLE_SKEW_MS) return undefined;
  const seconds = Math.round(hubSkewMs / 1000);
  return `this agent's clock is ${Math.abs(seconds)} s ${seconds < 0 ? 'behind' : 'ahead of'} the hub's (clock skew ${seconds} s)`;
}
