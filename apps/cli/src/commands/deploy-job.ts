import type { DeployRequest, HostView, KeyPair } from '@serfbort/core';
import type { RosteredHosts } from '../deploy/run.js';
import type { HubSession } from '../hub/session.js';
import type { Ctx } from './context.js';
import type { DeployFlags } from './deploy-flags.js';

/** A built request, not yet signed, and what it goes out with. */
export interface Deploying {
  ctx: Ctx;
  hub: HubSession;
  hosts: HostView[];
  signers: KeyPair[];
  agentKeys: Map<string, Uint8Array>;
  request: DeployRequest;
  opts: DeployFlags;
  /** the hosts this client's roster expects the request to reach */
  rostered: RosteredHosts;
}
