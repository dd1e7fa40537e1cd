import type { OperatorToHubEvents } from '@serfbort/core';
import { type ArgsOf, callWithTimeout, type DataOf, type OperatorSocket } from '@/lib/hub/call';

/** A refusal from the hub, with its stable code, as an exception for the driver. */
export class HubRefusal extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(`${code}: ${message}`);
  }
}

const RETRIES = 20;
const RETRY_MS = 1_500;

/**
 * One call the driver cannot do without. While the socket is down or not logged in
 * again, nothing reached the hub, so waiting for the session and retrying is safe;
 * bounded, so a hub gone for good ends the drive with an error (resumable later).
 */
export async function must<E extends keyof OperatorToHubEvents>(
  socket: () => OperatorSocket | null,
  timeoutMs: number,
  event: E,
  ...args: ArgsOf<E>
): Promise<DataOf<E>> {
  for (let attempt = 0; ; attempt++) {
    const s = socket();
    const ack = s
      ? await callWithTimeout(s, timeoutMs, event, ...args)
      : { ok: false as const, error: { code: 'UNAVAILABLE', message: 'no hub connection' } };
    if (ack.ok) return ack.data;
    const unsent =
      ack.error.code === 'UNAUTHENTICATED' ||
      (ack.error.code === 'UNAVAILABLE' && ack.error.message !== 'the hub did not answer in time');
    if (!unsent || attempt >= RETRIES) throw new HubRefusal(ack.error.code, ack.error.message);
    await new Promise((r) => setTimeout(r, RETRY_MS));
  }
}
