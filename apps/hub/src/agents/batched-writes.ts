import type { WriteQueue } from '../db/write-queue.js';
import { TickBatcher } from '../db/write-queue.js';
import type { AdmittedAgent, AgentWrites, KnownHello, PresenceChange } from '../hub-services.js';
import { recordKnownHellos, recordPresences } from './registry.js';

/**
 * A fleet reconnecting after a restart, or dropped by a network blip, says hello or
 * disconnects thousands of times in a few seconds: those of one tick share a statement.
 */
export class AgentWriteBatches implements AgentWrites {
  private readonly presence: TickBatcher<PresenceChange, undefined>;
  private readonly hellos: TickBatcher<KnownHello, AdmittedAgent | null>;

  constructor(writes: WriteQueue) {
    this.presence = new TickBatcher(writes, recordPresences);
    this.hellos = new TickBatcher(writes, recordKnownHellos);
  }

  recordPresence(change: PresenceChange): Promise<undefined> {
    return this.presence.add(change);
  }

  recordKnownHello(hello: KnownHello): Promise<AdmittedAgent | null> {
    return this.hellos.add(hello);
  }
}
