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
