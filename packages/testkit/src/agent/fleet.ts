import type { AgentProcess, AgentProcessOptions } from './agent-process.js';
import { spawnAgent } from './agent-process.js';
import type { TestHost } from './host.js';
import type { OperatorClient } from './operator.js';

/** Starts an agent process for `host`, approves its key as `operator`, and waits until it is in. */
export async function startApprovedAgent(
  operator: OperatorClient,
  host: TestHost,
  name: string,
  options: Partial<AgentProcessOptions> = {},
): Promise<AgentProcess> {
  const agent = spawnAgent({ configPath: host.configPath, ...options });
  try {
    await operator.approve(name);
    await agent.waitForEvent('agent.approved');
  } catch (e) {
    await agent.stop('SIGKILL');
    throw e;
  }
  return agent;
}

/** Starts an agent whose key is already approved and waits until it is in. */
export async function restartAgent(
  host: TestHost,
  options: Partial<AgentProcessOptions> = {},
): Promise<AgentProcess> {
  const agent = spawnAgent({ configPath: host.configPath, ...options });
  await agent.waitForEvent('agent.approved');
  return agent;
}
