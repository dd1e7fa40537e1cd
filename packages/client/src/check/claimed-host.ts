import { fromBase64, utf8Decode } from '@serfbort/core';

/** The host an answer says it is from, unverified: the answer is verified against that host's key. */
export function claimedHost(answer: unknown): string | undefined {
  try {
    const payload = (answer as { payload?: unknown } | null)?.payload;
    if (typeof payload !== 'string') return undefined;
    const parsed = JSON.parse(utf8Decode(fromBase64(payload))) as { host?: unknown };
    return typeof parsed.host === 'string' ? parsed.host.slice(0, 253) : undefined;
  } catch {
    return undefined;
  }
}
