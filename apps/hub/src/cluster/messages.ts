import type { Cluster } from '../hub-services.js';

/** The server-side event hubs send each other (Socket.IO serverSideEmit over Redis). */
export const CLUSTER_EVENT = 'serfbort:cluster';

export const singleNode: Cluster = {
  enabled: false,
  onlyNode: undefined,
  publish() {},
  healthy: async () => true,
};
