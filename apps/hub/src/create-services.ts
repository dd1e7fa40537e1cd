import { AdmittedKeyCache } from './agents/admitted-keys.js';
import { AgentWriteBatches } from './agents/batched-writes.js';
import { HostChangeFeed } from './agents/host-changes.js';
import { DeliveryLedger } from './deploy/deliver.js';
import { HostStateMoves } from './deploy/host-state.js';
import { DeliveryMarkBatches } from './deploy/mark-delivered.js';
import type { HubBase } from './hub-context.js';
import type { HubServices } from './hub-services.js';

/** The per-hub services, each holding its own state; startHub owns them and closes them. */
export function createServices(base: HubBase): HubServices {
  return {
    hostChanges: new HostChangeFeed(base),
    admittedKeys: new AdmittedKeyCache(base.db),
    agentWrites: new AgentWriteBatches(base.writes),
    hostMoves: new HostStateMoves(base),
    deliveryMarks: new DeliveryMarkBatches(base),
    deliveries: new DeliveryLedger(base.db),
  };
}
