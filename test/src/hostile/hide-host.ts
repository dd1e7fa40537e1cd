import { fromBase64, utf8Decode } from '@serfbort/core';
import type { Packet } from './tamper-proxy.js';

/*
 * A hub that hides a host operators approved, from every answer to operators (the CLI's and
 * the dashboard's roster tests share it): as a man in the middle in front of a real hub.
 */

/** How a man in the middle rewrites what the hub tells clients (see tamper-proxy.ts). */
export type Lie = (p: Packet) => unknown[] | null;
const payloadHost = (v: Record<string, unknown>): unknown => {
  try {
    return (JSON.parse(utf8Decode(fromBase64(v.payload as string))) as { host?: unknown }).host;
  } catch {
    return undefined;
  }
};

/** Whether one element of an answer is about `host`: a view, a progress, a signed answer, a name. */
function about(x: unknown, host: string, keepApproval: boolean): boolean {
  if (x === host) return true;
  if (!x || typeof x !== 'object') return false;
  const o = x as Record<string, unknown>;
  if ('evidence' in o) return !keepApproval && o.host === host;
  if (o.host === host || o.name === host) return true;
  return typeof o.payloadType === 'string' && typeof o.payload === 'string'
    ? payloadHost(o) === host
    : false;
}

function scrub(v: unknown, host: string, keepApproval: boolean): unknown {
  if (Array.isArray(v))
    return v.filter((x) => !about(x, host, keepApproval)).map((x) => scrub(x, host, keepApproval));
  if (v && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, scrub(x, host, keepApproval)]));
  return v;
}

/** The hub leaves `host` out of everything it tells operators; its approval too, unless kept. */
export const hide =
  (host: string, keepApproval: boolean): Lie =>
  (p) => {
    if (p.namespace !== '/operator') return p.data;
    const update = p.data[1] as { host?: { host?: unknown } } | undefined;
    if (p.kind === 'event' && update?.host?.host === host) return ['test:dropped'];
    return p.data.map((d) => scrub(d, host, keepApproval));
  };

/** Only the approval goes: the hub stops presenting `host`'s agent-key record. */
export const dropApproval =
  (host: string): Lie =>
  (p) => {
    if (p.namespace !== '/operator' || p.kind !== 'ack') return p.data;
    return p.data.map((ack) => {
      const a = ack as { ok?: boolean; data?: unknown };
      if (!a?.ok || !Array.isArray(a.data)) return ack;
      return {
        ...a,
        data: a.data.filter(
          (r) => !(r && typeof r === 'object' && 'evidence' in r && r.host === host),
        ),
      };
    });
  };
