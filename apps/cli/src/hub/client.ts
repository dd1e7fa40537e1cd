import { isUnknownEventRefusal } from '@serfbort/client';
import type { Ack, HubToOperatorEvents, OperatorToHubEvents } from '@serfbort/core';
import { OPERATOR_NAMESPACE } from '@serfbort/core';
import type { Socket } from 'socket.io-client';
import { io } from 'socket.io-client';
import { CliError, EXIT, hubRefusal } from '../errors.js';
import type { Output } from '../output/output.js';
import { terminalSafe } from '../output/terminal-safe.js';

export type OperatorSocket = Socket<HubToOperatorEvents, OperatorToHubEvents>;

/** ms to wait for a connection to one hub before trying the next */
const CONNECT_TIMEOUT_MS = 5_000;
/** ms to wait for an acknowledgement; checks ask for less, see check.ts */
export const ACK_TIMEOUT_MS = 15_000;

export function unwrap<T>(ack: Ack<T>): T {
  if (ack.ok) return ack.data;
  // the CLI's own words, so a script's operator is told to retry whatever the hub wrote
  if (ack.error.code === 'STORAGE_UNAVAILABLE')
    throw hubRefusal(
      'STORAGE_UNAVAILABLE',
      'the hub cannot reach its database right now: retry in a moment',
    );
  throw hubRefusal(ack.error.code, ack.error.message);
}

/** A hub older than the request answers BAD_REQUEST "unknown event": ask the older way. */
export const isUnknownEvent = (e: unknown): boolean =>
  e instanceof CliError && isUnknownEventRefusal(e);

function namespaceUrl(hub: string): string {
  return `${hub.replace(/\/+$/, '')}${OPERATOR_NAMESPACE}`;
}

export function connectOne(hub: string): Promise<OperatorSocket> {
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

/**
 * Why one hub did not answer, in words a person can act on: socket.io says only
 * "websocket error" and keeps the cause (ECONNREFUSED, a TLS or DNS failure) in `description`.
 * The text can be the hub's own (a middleware refusal): through the terminal gate.
 */
function whyNot(e: unknown): string {
  if (!(e instanceof Error)) return terminalSafe(String(e));
  const cause = (e as Error & { description?: unknown }).description;
  const detail =
    typeof cause === 'object' && cause !== null && 'message' in cause
      ? String((cause as { message: unknown }).message)
      : '';
  return terminalSafe(detail && detail !== e.message ? `${e.message}: ${detail}` : e.message);
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
      const why = whyNot(e);
      failures.push(`${url}: ${why}`);
      if (hubs.length > 1) out.warn(`hub ${url} did not answer (${why}); trying the next`);
    }
  }
  throw new CliError(
    EXIT.hosts,
    'HUB_UNREACHABLE',
    `could not reach a hub; tried ${failures.join('; ')}. Check the URL and that the hub runs: set it with --hub, SERFBORT_HUB or "hub" in the config file (a comma list is tried in order)`,
  );
}

/** Turns a missing acknowledgement into a clear error instead of a hang. */
export function ackTimeout(err: unknown): never {
  if (err instanceof CliError) throw err;
  throw new CliError(EXIT.hosts, 'HUB_TIMEOUT', 'the hub did not answer in time');
}
