import type { Ack, HubToOperatorEvents, OperatorToHubEvents } from '@serfbort/core';
import { OPERATOR_NAMESPACE } from '@serfbort/core';
import type { Socket } from 'socket.io-client';
import { io } from 'socket.io-client';
import { CliError, EXIT, hubRefusal } from '../errors.js';
import type { Output } from '../output/output.js';

export type OperatorSocket = Socket<HubToOperatorEvents, OperatorToHubEvents>;

/** ms to wait for a connection to one hub before trying the next */
const CONNECT_TIMEOUT_MS = 5_000;
/** ms to wait for an acknowledgement; checks ask for less, see check.ts */
export const ACK_TIMEOUT_MS = 15_000;

export function unwrap<T>(ack: Ack<T>): T {
  if (ack.ok) return ack.data;
  throw hubRefusal(ack.error.code, ack.error.message);
}

function namespaceUrl(hub: string): string {
  return `${hub.replace(/\/+$/, '')}${OPERATOR_NAMESPACE}`;
}

function connectOne(hub: string): Promise<OperatorSocket> {
  return new Promise((resolve, reject) => {
    const socket: OperatorSocket = io(namespaceUrl(hub), {
      transports: ['websocket'],
      reconnection: false,
      timeout: CONNECT_TIMEOUT_MS,
      forceNew: true,
    });
    const timer = setTimeout(() => fail(new Error('timed out')), CONNECT_TIMEOUT_MS);
    const fail = (err: Error) => {
      clearTimeout(timer);
      socket.close();
      reject(err);
    };
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve(socket);
    });
    socket.once('connect_error', fail);
  });
}

/** Tries each hub in order; the first that answers wins. */
export async function connectHub(
  hubs: readonly string[],
  out: Output,
): Promise<{ socket: OperatorSocket; url: string }> {
  const failures: string[] = [];
  for (const url of hubs) {
    try {
      return { socket: await connectOne(url), url };
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      failures.push(`${url}: ${why}`);
      if (hubs.length > 1) out.warn(`hub ${url} did not answer (${why}); trying the next`);
    }
  }
  throw new CliError(
    EXIT.hosts,
    'HUB_UNREACHABLE',
    `could not reach a hub: ${failures.join('; ')}`,
  );
}

/** Turns a missing acknowledgement into a clear error instead of a hang. */
export function ackTimeout(err: unknown): never {
  if (err instanceof CliError) throw err;
  throw new CliError(EXIT.hosts, 'HUB_TIMEOUT', 'the hub did not answer in time');
}
