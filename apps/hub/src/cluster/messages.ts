import type { Envelope } from '@serfbort/core';

/** The server-side event hubs send each other (Socket.IO serverSideEmit over Redis). */
export const CLUSTER_EVENT = 'serfbort:cluster';

/**
 * Hints between hubs. Each is also discoverable from the database (the truth), so a
 * message lost in a Redis outage only delays, never loses, what it announces.
 */
export type ClusterMessage =
  /** a stored deploy: hubs deliver it to the targeted hosts connected to them */
  | { type: 'deploy'; requestId: string; envelope: Envelope; hosts: string[] }
  /** a trust document was stored: reload it and tell local agents and operators */
  | { type: 'trust' }
  /** an operator approved this key for this host: admit it if it waits here */
  | { type: 'approved'; host: string; keyId: string }
  /** the host connected to `node`: an older connection elsewhere is dropped */
  | { type: 'claimed'; host: string; node: string }
  /** a rollout changed: tell the operators watching it here */
  | { type: 'rollout'; id: string };

/** What every handler may use to talk to the other hubs; inert with one hub. */
export interface Cluster {
  readonly enabled: boolean;
  /** set in cluster mode: presence changes apply only while the host is on this node */
  readonly onlyNode: string | undefined;
  /** to every other hub (not this one) */
  publish(message: ClusterMessage): void;
  /** Redis answers (true without Redis) */
  healthy(): Promise<boolean>;
}

export const singleNode: Cluster = {
  enabled: false,
  onlyNode: undefined,
  publish() {},
  healthy: async () => true,
};
