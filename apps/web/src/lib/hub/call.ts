import type { Ack, AckFn, HubToOperatorEvents, OperatorToHubEvents } from '@serfbort/core';
import type { Socket } from 'socket.io-client';

export type OperatorSocket = Socket<HubToOperatorEvents, OperatorToHubEvents>;
type Events = OperatorToHubEvents;
export type ArgsOf<E extends keyof Events> =
  Parameters<Events[E]> extends [...infer A, AckFn<infer _T>] ? A : never;
export type DataOf<E extends keyof Events> =
  Parameters<Events[E]> extends [...infer _A, AckFn<infer T>] ? T : never;

const DEFAULT_TIMEOUT_MS = 15_000;

/**
 * One request to the hub with an acknowledgement, as a promise of core's Ack shape.
 * A timeout or a malformed answer becomes an error ack, never a thrown exception.
 */
export async function call<E extends keyof Events>(
  socket: OperatorSocket,
  event: E,
  ...args: ArgsOf<E>
): Promise<Ack<DataOf<E>>> {
  return callWithTimeout(socket, DEFAULT_TIMEOUT_MS, event, ...args);
}

export async function callWithTimeout<E extends keyof Events>(
  socket: OperatorSocket,
  timeoutMs: number,
  event: E,
  ...args: ArgsOf<E>
): Promise<Ack<DataOf<E>>> {
  if (!socket.connected)
    return { ok: false, error: { code: 'UNAVAILABLE', message: 'not connected to the hub' } };
  try {
    // emitWithAck needs its `this`: keep the call on the timed socket
    const timed = socket.timeout(timeoutMs) as unknown as {
      emitWithAck(event: string, ...rest: unknown[]): Promise<unknown>;
    };
    const ack = await timed.emitWithAck(event, ...args);
    if (
      typeof ack !== 'object' ||
      ack === null ||
      typeof (ack as { ok?: unknown }).ok !== 'boolean'
    ) {
      return {
        ok: false,
        error: { code: 'BAD_REQUEST', message: 'the hub sent a malformed answer' },
      };
    }
    return ack as Ack<DataOf<E>>;
  } catch {
    return { ok: false, error: { code: 'UNAVAILABLE', message: 'the hub did not answer in time' } };
  }
}
