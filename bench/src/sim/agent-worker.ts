/**
 * A load-generator process holding a slice of the simulated fleet (its StartMessage is
 * argv[2] as JSON). It ramps its agents up (bounded parallelism), reports
 * {type:'ready'}, answers {type:'stats'} and exits on {type:'close'} or parent loss.
 */
import type { Envelope } from '@serfbort/core';
import { nodeSigner } from '@serfbort/node';
import { BOUNDS } from '../common/bounds.js';
import { exitWithParent } from '../common/children.js';
import { connectAll } from '../common/connect-pool.js';
import { epochMs, withTimeout } from '../common/wait.js';
import { agentKeyPair, agentLabels, agentName, BENCH_APP } from './identities.js';
import { floodPresence } from './presence-flood.js';
import { SimAgent, type SimCounters } from './sim-agent.js';
import { WorkerTrust } from './worker-trust.js';

exitWithParent();

export interface StartMessage {
  type: 'start';
  url: string;
  offset: number;
  count: number;
  pinnedRoot: Envelope;
  parallel: number;
  reconnectMaxMs: number;
}

export interface WorkerStats {
  type: 'stats';
  approved: number;
  lastApprovedAt: number;
  pendingReceipts: number;
  counters: SimCounters;
  cpuMs: number;
}

const counters: SimCounters = {
  approvals: 0,
  accepted: 0,
  rejected: {},
  receiptsSent: 0,
  receiptsAcked: 0,
  checks: 0,
  connectErrors: 0,
  authFailures: 0,
};
const agents: SimAgent[] = [];
let lastApprovedAt = 0;

async function start(m: StartMessage): Promise<void> {
  const trust = new WorkerTrust(m.pinnedRoot);
  const firstApproval: (() => void)[] = [];
  const approvedOnce = Array.from(
    { length: m.count },
    (_, i) => new Promise<void>((resolve) => (firstApproval[i] = resolve)),
  );
  for (let i = 0; i < m.count; i++) {
    const index = m.offset + i;
    agents.push(
      new SimAgent({
        url: m.url,
        name: agentName(index),
        labels: agentLabels(index),
        apps: [BENCH_APP],
        signer: nodeSigner(agentKeyPair(index)),
        trust,
        counters,
        reconnectMaxMs: m.reconnectMaxMs,
        onApproved: () => {
          lastApprovedAt = epochMs();
          firstApproval[i]!();
        },
      }),
    );
  }
  const connectStart = epochMs();
  await connectAll(m.count, m.parallel, async (i) => {
    agents[i]!.connect();
    await withTimeout(
      approvedOnce[i]!,
      BOUNDS.rampMs(m.count * 3),
      `agent ${agentName(m.offset + i)} approved`,
    );
  });
  process.send?.({ type: 'ready', connectStart, connectEnd: epochMs(), approved: m.count });
}

function stats(): WorkerStats {
  const cpu = process.cpuUsage();
  return {
    type: 'stats',
    approved: agents.reduce((n, a) => n + (a.approved ? 1 : 0), 0),
    lastApprovedAt,
    pendingReceipts: agents.reduce((n, a) => n + a.pendingReceipts, 0),
    counters,
    cpuMs: (cpu.user + cpu.system) / 1000,
  };
}

process.on('message', (m: { type?: string; ms?: number }) => {
  if (m.type === 'stats') process.send?.(stats());
  else if (m.type === 'flood') {
    // the worker's first agent floods; the others keep answering deploys meanwhile
    const flooder = agents[0];
    if (flooder)
      void floodPresence(() => flooder.sendPresence(), Math.min(m.ms ?? 5000, 30_000)).then((c) =>
        process.send?.(c),
      );
  } else if (m.type === 'close') {
    for (const a of agents) a.close();
    process.exit(0);
  }
});
start(JSON.parse(process.argv[2] ?? '{}') as StartMessage).catch((error: Error) => {
  process.send?.({ type: 'failed', message: error.message });
});
