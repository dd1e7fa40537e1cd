import type { PresenceReport } from '@serfbort/core';
import type { AgentSocket } from './hub-link.js';

const ACK_TIMEOUT_MS = 5000;

/**
 * The heartbeat, with the agent's problems while it has any. A hub older than the
 * `problems` field refuses it as BAD_REQUEST: that connection then gets heartbeats
 * without it, so an upgraded agent keeps reporting its versions to an older hub.
 */
export class PresenceSender {
  private olderHub: AgentSocket | undefined;

  async send(socket: AgentSocket | undefined, report: PresenceReport): Promise<void> {
    if (!socket) return;
    const { problems, ...plain } = report;
    const withProblems = problems !== undefined && problems.length > 0 && this.olderHub !== socket;
    try {
      const ack = await socket
        .timeout(ACK_TIMEOUT_MS)
        .emitWithAck('presence', withProblems ? report : plain);
      if (withProblems && !ack.ok && ack.error.code === 'BAD_REQUEST') {
        this.olderHub = socket;
        await socket.timeout(ACK_TIMEOUT_MS).emitWithAck('presence', plain);
      }
    } catch {
      // no answer: the next tick sends again
    }
  }
}
