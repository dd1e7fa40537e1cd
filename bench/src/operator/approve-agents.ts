import type { KeyPair } from '@serfbort/core';
import { PAYLOAD_TYPES, signPayload, toBase64 } from '@serfbort/core';
import { nodeSigner } from '@serfbort/node';
import { BOUNDS } from '../common/bounds.js';
import { sleep } from '../common/wait.js';
import { AckError, call, connectOperator } from './operator-session.js';

export interface AgentToApprove {
  name: string;
  key: KeyPair;
}

/**
 * Operator-signed approvals for every agent, before the agents first connect (so
 * their hello is answered "approved"). The hub limits each operator socket to
 * 50 messages/s and each key to 100/s, so the work is spread over several operator
 * keys and a RATE_LIMITED answer is retried after a pause.
 */
export async function approveAgents(
  url: string,
  operators: readonly KeyPair[],
  agents: readonly AgentToApprove[],
): Promise<void> {
  const sockets = await Promise.all(operators.map((k) => connectOperator(url, k)));
  try {
    const now = Date.now();
    let next = 0;
    const deadline = Date.now() + BOUNDS.approvalsMs(agents.length);
    await Promise.all(
      sockets.map(async (socket, s) => {
        const signer = nodeSigner(operators[s]!);
        // a few in flight per socket: enough to keep the hub busy, not enough to trip its bucket
        const lane = async () => {
          for (let agent = agents[next++]; agent; agent = agents[next++]) await approve(agent);
        };
        const approve = async (agent: AgentToApprove) => {
          const approval = signPayload(
            PAYLOAD_TYPES.approval,
            {
              type: 'approval',
              host: agent.name,
              agentKeyId: agent.key.keyId,
              agentPublicKey: toBase64(agent.key.publicKey),
              approvedAt: now,
            },
            [signer],
          );
          for (;;) {
            if (Date.now() > deadline) throw new Error('approvals took too long');
            try {
              await call(socket, 'agents:approve', [approval]);
              return;
            } catch (error) {
              if (!(error instanceof AckError) || error.code !== 'RATE_LIMITED') throw error;
              await sleep(250);
            }
          }
        };
        await Promise.all([lane(), lane(), lane(), lane()]);
      }),
    );
  } finally {
    for (const s of sockets) s.close();
  }
}
