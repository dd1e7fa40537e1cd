import type { Socket } from 'socket.io';
import type { AdmissionConfig } from '../config/admission.js';
import type { AdmissionGate } from '../hub-services.js';
import type { Metrics } from '../metrics.js';
import { KeyedLimiter } from './rate-limit.js';

export type AdmissionRefusal = 'connections' | 'unknown-hellos';

/**
 * Per-source-address buckets in front of approval. A connection draws a token and gives
 * it back once it proves an approved key (or an operator key), so a fleet reconnecting
 * from one address costs nothing and only unproven connections drain the bucket. Hellos
 * of keys nobody approved draw from a second, slower bucket.
 */
export class Admission implements AdmissionGate {
  private readonly connections: KeyedLimiter;
  private readonly unknownHellos: KeyedLimiter;

  constructor(
    readonly config: AdmissionConfig,
    private readonly metrics: Metrics,
  ) {
    this.connections = new KeyedLimiter(config.connectionsPerSecond, config.connectionBurst);
    this.unknownHellos = new KeyedLimiter(config.unknownHellosPerSecond, config.unknownHelloBurst);
  }

  connect(socket: Socket, now: number): boolean {
    return this.count(this.connections.take(sourceOf(socket), now), 'connections');
  }

  proven(socket: Socket): void {
    this.connections.give(sourceOf(socket));
  }

  unknownHello(socket: Socket, now: number): boolean {
    return this.count(this.unknownHellos.take(sourceOf(socket), now), 'unknown-hellos');
  }

  private count(allowed: boolean, reason: AdmissionRefusal): boolean {
    if (!allowed) this.metrics.admissionRefused.inc({ reason });
    return allowed;
  }
}

/** The peer's address as the hub's socket sees it (no proxy headers: they are the client's word). */
export const sourceOf = (socket: Socket): string => addressKey(socket.handshake.address);

/**
 * One bucket per IPv4 address, but per IPv6 /64: one host usually holds a whole /64, and
 * per-address buckets there would be as many as it likes. IPv4-mapped IPv6 is IPv4.
 */
export function addressKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (!address.includes(':')) return address;
  const [head = '', tail = ''] = address.split('%')[0]!.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = address.includes('::') && tail ? tail.split(':') : [];
  const groups = address.includes('::')
    ? [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}
