import type { Socket } from 'socket.io';
import type { Sessions } from '../hub-services.js';

/**
 * Approved agents connected to this hub node, by host name. One socket per host:
 * a newer connection replaces an older one (the old one is disconnected by the caller).
 */
export class AgentSessions implements Sessions {
  private readonly byHost = new Map<string, Socket>();

  /** Returns the socket this one replaces, if any. */
  set(host: string, socket: Socket): Socket | undefined {
    const previous = this.byHost.get(host);
    this.byHost.set(host, socket);
    return previous && previous.id !== socket.id ? previous : undefined;
  }

  get(host: string): Socket | undefined {
    return this.byHost.get(host);
  }

  /** Forgets the host only if this socket is still the one holding it. */
  delete(host: string, socket: Socket): boolean {
    if (this.byHost.get(host)?.id !== socket.id) return false;
    this.byHost.delete(host);
    return true;
  }

  has(host: string): boolean {
    return this.byHost.has(host);
  }

  /** Each host held here with the connection holding it. */
  connections(): { host: string; connection: string }[] {
    return [...this.byHost].map(([host, socket]) => ({ host, connection: socket.id }));
  }

  get size(): number {
    return this.byHost.size;
  }
}
